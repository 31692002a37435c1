package io.preconf.core.testing;

import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.commit.Status;
import io.preconf.core.commit.StatusChange;
import io.preconf.core.commit.TrackedPreconfirmation;
import io.preconf.core.error.RejectedException;
import io.preconf.core.error.Rejection;
import io.preconf.core.finality.Block;
import io.preconf.core.finality.ChainView;
import io.preconf.core.finality.ReconcilePlan;
import io.preconf.core.finality.SeenBlock;
import io.preconf.core.finality.StatusEffect;
import io.preconf.core.finality.Violation;
import io.preconf.core.port.ChainLedger;
import io.preconf.core.port.StatusPublisher;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The finality ports in memory, for the core's own tests only; the real ledger is PostgreSQL in
 * {@code infra}. Mirrors its semantics: candidates by the same union, commit all or nothing.
 */
public final class InMemoryLedger implements ChainLedger, StatusPublisher {
  private final Map<Hash32, TrackedPreconfirmation> promises = new LinkedHashMap<>();
  private final Map<Hash32, SeenBlock> blocks = new HashMap<>();
  private final Map<String, Hash32> canonical = new HashMap<>();
  private final Map<ChainId, Long> versions = new HashMap<>();
  private final Map<ChainId, Long> heads = new HashMap<>();
  public final List<Violation> violations = new ArrayList<>();
  public final List<Violation> retracted = new ArrayList<>();
  public final List<StatusChange> published = new ArrayList<>();
  public int commits;

  /** Runs once just before the next commit checks the version, as a racing reconciliation would. */
  public Runnable beforeNextCommit;

  /** How many of the next views fail as an unreachable database would. */
  public int unreadableViews;

  public synchronized void track(Collection<Preconfirmation> issued) {
    for (Preconfirmation p : issued) {
      promises.putIfAbsent(p.id(), new TrackedPreconfirmation(p, Status.PRECONFIRMED, null));
    }
  }

  /** Marks {@code p} DELIVERY_FAILED, as the forwarder does when the node refuses it. */
  public synchronized void deliveryFailed(Preconfirmation p) {
    promises.put(p.id(), new TrackedPreconfirmation(p, Status.DELIVERY_FAILED, null));
  }

  public synchronized TrackedPreconfirmation state(Preconfirmation p) {
    return promises.get(p.id());
  }

  @Override
  public synchronized Uni<ChainView> view(ChainId chain, long number, Hash32 hash) {
    if (unreadableViews > 0) {
      unreadableViews--;
      return Uni.createFrom()
          .failure(
              new RejectedException(
                  Rejection.backendUnavailable("the ledger of chain " + chain + " is unreadable")));
    }
    OptionalLong head =
        heads.containsKey(chain) ? OptionalLong.of(heads.get(chain)) : OptionalLong.empty();
    return Uni.createFrom()
        .item(
            new ChainView(
                chain,
                versions.getOrDefault(chain, 0L),
                head.isPresent() ? at(chain, head.getAsLong()) : null,
                blocks.get(hash),
                at(chain, number),
                at(chain, number - 1)));
  }

  private Block at(ChainId chain, long number) {
    Hash32 h = canonical.get(chain + ":" + number);
    return h == null ? null : blocks.get(h).block();
  }

  @Override
  public synchronized Uni<List<SeenBlock>> canonicalFrom(ChainId chain, long number) {
    List<SeenBlock> out = new ArrayList<>();
    long head = heads.getOrDefault(chain, -1L);
    for (long n = number; n <= head; n++) {
      Hash32 h = canonical.get(chain + ":" + n);
      if (h != null) {
        out.add(blocks.get(h));
      }
    }
    return Uni.createFrom().item(out);
  }

  @Override
  public synchronized Uni<List<Block>> blocks(ChainId chain, Collection<Hash32> hashes) {
    return Uni.createFrom()
        .item(hashes.stream().filter(blocks::containsKey).map(h -> blocks.get(h).block()).toList());
  }

  @Override
  public synchronized Uni<List<TrackedPreconfirmation>> candidates(Candidates q) {
    long minSeq = Long.MAX_VALUE;
    for (TrackedPreconfirmation t : promises.values()) {
      if (t.preconfirmation().chainId().equals(q.chain())
          && q.txHashes().contains(t.preconfirmation().txHash())) {
        minSeq = Math.min(minSeq, t.preconfirmation().sequence());
      }
    }
    List<TrackedPreconfirmation> overdue = new ArrayList<>();
    for (TrackedPreconfirmation t : promises.values()) {
      Preconfirmation p = t.preconfirmation();
      boolean lapsed = p.commitment().expiresAt() < q.slotStartMs();
      if (p.chainId().equals(q.chain())
          && ((t.status() == Status.PRECONFIRMED && (p.leaf().targetSlot() < q.slot() || lapsed))
              || (t.status() == Status.DELIVERY_FAILED && lapsed))) {
        overdue.add(t);
      }
    }
    overdue.sort(
        java.util.Comparator.comparingLong(
            (TrackedPreconfirmation t) -> t.preconfirmation().leaf().targetSlot()));
    List<TrackedPreconfirmation> swept =
        overdue.subList(0, Math.min(q.sweepLimit(), overdue.size()));
    List<TrackedPreconfirmation> out = new ArrayList<>();
    for (TrackedPreconfirmation t : promises.values()) {
      Preconfirmation p = t.preconfirmation();
      if (q.ids().contains(p.id())) {
        out.add(t);
        continue;
      }
      if (!p.chainId().equals(q.chain())) {
        continue;
      }
      boolean open = swept.contains(t);
      boolean ordering = t.finality() != null && p.sequence() > minSeq;
      boolean finalizing =
          t.status() == Status.INCLUDED && t.finality().blockNumber() <= q.finalizeUpTo();
      if (q.txHashes().contains(p.txHash())
          || q.ids().contains(p.id())
          || open
          || ordering
          || finalizing) {
        out.add(t);
      }
    }
    return Uni.createFrom().item(out);
  }

  @Override
  public synchronized Uni<List<TrackedPreconfirmation>> bundleLegs(Collection<Hash32> roots) {
    return Uni.createFrom()
        .item(
            promises.values().stream()
                .filter(t -> roots.contains(t.preconfirmation().commitment().root()))
                .toList());
  }

  @Override
  public synchronized Uni<Void> commit(ReconcilePlan plan) {
    Runnable racer = beforeNextCommit;
    beforeNextCommit = null;
    if (racer != null) {
      racer.run();
    }
    ChainId chain = plan.block().chainId();
    long version = versions.getOrDefault(chain, 0L);
    if (version != plan.expectedVersion()) {
      return Uni.createFrom().failure(new ChainMoved(chain, plan.expectedVersion(), version));
    }
    if (plan.reorg() != null) {
      for (Hash32 h : plan.reorg().orphaned()) {
        SeenBlock b = blocks.get(h);
        blocks.put(h, new SeenBlock(b.block(), false, b.effects()));
        canonical.remove(chain + ":" + b.block().number());
        for (Violation v : List.copyOf(violations)) {
          if (v.blockHash().equals(h)) {
            violations.remove(v);
            retracted.add(v);
          }
        }
      }
    }
    for (StatusEffect e : plan.undone()) {
      apply(e);
    }
    for (StatusEffect e : plan.effects()) {
      apply(e);
    }
    blocks.put(plan.block().hash(), new SeenBlock(plan.block(), true, plan.effects()));
    canonical.put(chain + ":" + plan.block().number(), plan.block().hash());
    heads.put(chain, plan.block().number());
    violations.addAll(plan.violations());
    versions.put(chain, version + 1);
    commits++;
    return Uni.createFrom().voidItem();
  }

  private void apply(StatusEffect e) {
    TrackedPreconfirmation t = promises.get(e.preconfirmationId());
    if (t.status() != e.fromStatus()) {
      throw new IllegalStateException(
          "effect expects " + e.fromStatus() + " but " + e.txHash() + " is " + t.status());
    }
    promises.put(
        e.preconfirmationId(),
        new TrackedPreconfirmation(t.preconfirmation(), e.toStatus(), e.toFinality()));
  }

  @Override
  public synchronized Uni<Void> publish(List<StatusChange> changes) {
    published.addAll(changes);
    return Uni.createFrom().voidItem();
  }
}
