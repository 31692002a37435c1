package io.preconf.core.finality;

import io.preconf.core.commit.Finality;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.commit.Status;
import io.preconf.core.commit.TrackedPreconfirmation;
import io.preconf.core.error.Reason;
import io.preconf.core.types.Hash32;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Judges one block against the promises it touches. Pure: the caller reads the chain and the
 * promises, this computes what changes, and the caller writes it.
 *
 * <p>In order, for a block at number {@code n} and slot {@code s}:
 *
 * <ol>
 *   <li><b>Reorg.</b> The effects of the orphaned blocks are undone, newest first, so that the
 *       promises stand where they stood before those blocks.
 *   <li><b>Inclusion.</b> A promised transaction in the block, not yet included on the canonical
 *       chain, becomes INCLUDED with its finality record (block number, hash, index). Included
 *       after its target slot ({@code s > targetSlot}) while the promise was in force, it becomes
 *       VIOLATED ({@link ViolationKind#NOT_INCLUDED_BY_TARGET_SLOT}) and keeps its finality record.
 *       A transaction seen again while already included is left where it first landed.
 *   <li><b>Order.</b> For each transaction the block includes, a promise with a higher lane
 *       sequence already included ahead of it (an earlier block, or this block at a lower index)
 *       breaks its promise: the overtaken one becomes VIOLATED ({@link
 *       ViolationKind#ORDER_REVERSED}); the overtaking one keeps its status.
 *   <li><b>Deadline.</b> A promise still PRECONFIRMED whose target slot is before {@code s} was not
 *       included in time: VIOLATED ({@link ViolationKind#NOT_INCLUDED_BY_TARGET_SLOT}). A block at
 *       the target slot itself proves nothing yet, since one slot may hold several blocks.
 *   <li><b>Expiry.</b> A promise that lapsed unused becomes EXPIRED. Precedence between the two:
 *       whichever came first. If the promise expired before its target slot ended ({@code expiresAt
 *       < start of targetSlot + 1}), it was void when the deadline passed: EXPIRED, not a
 *       violation. Otherwise the deadline passed while it was in force: VIOLATED. A promise whose
 *       target slot is still ahead but whose {@code expiresAt} is before the start of slot {@code
 *       s} is EXPIRED. An expired promise whose transaction lands later is INCLUDED (the status
 *       follows the transaction), but is never a violation.
 *   <li><b>Finality.</b> An INCLUDED promise whose block is at least {@code depth} below {@code n}
 *       (the new head) becomes FINALIZED. A VIOLATED one stays VIOLATED.
 * </ol>
 */
public final class Reconciler {
  private final FinalityConfig config;

  public Reconciler(FinalityConfig config) {
    this.config = config;
  }

  /**
   * @param orphaned the canonical blocks the block replaces, any order (empty without a reorg)
   * @param candidates the promises the block may touch, as stored (before any undo): those whose
   *     transactions the block carries, those still PRECONFIRMED whose target slot is before the
   *     block's or whose expiry is before its slot start, the chain's included ones with a higher
   *     sequence than the block's promised transactions, the INCLUDED ones at or below {@code
   *     number - depth}, and every promise an orphaned block touched (on any chain: a block may
   *     have broken an atomic bundle's legs elsewhere). Extra ones are harmless.
   */
  public ReconcilePlan reconcile(
      Block block,
      SlotClock clock,
      long expectedVersion,
      List<SeenBlock> orphaned,
      Collection<TrackedPreconfirmation> candidates,
      long nowMs) {
    Map<Hash32, TrackedPreconfirmation> byTx = new LinkedHashMap<>();
    // Legs of atomic bundles on other chains, which an orphaned block may have broken: only undone.
    Map<Hash32, TrackedPreconfirmation> otherChains = new HashMap<>();
    for (TrackedPreconfirmation t : candidates) {
      (t.preconfirmation().chainId().equals(block.chainId()) ? byTx : otherChains)
          .put(t.preconfirmation().txHash(), t);
    }
    Reorg reorg = null;
    List<StatusEffect> undone = new ArrayList<>();
    if (!orphaned.isEmpty()) {
      reorg = reorg(block, orphaned);
      String why =
          "reorg: block "
              + block.number()
              + " ("
              + block.hash()
              + ") replaced "
              + reorg.depth()
              + " block(s) from "
              + reorg.height();
      // Only a reorg deeper than the depth can take back a finalization: say so where it is kept.
      String lostFinal =
          why
              + ", deeper than the finality depth "
              + config.depth()
              + ": "
              + Reason.REORG_BEYOND_FINALITY
              + ", the block that made it final is gone";
      List<SeenBlock> newestFirst = new ArrayList<>(orphaned);
      newestFirst.sort(Comparator.comparingLong((SeenBlock b) -> b.block().number()).reversed());
      for (SeenBlock b : newestFirst) {
        List<StatusEffect> effects = b.effects();
        for (int i = effects.size() - 1; i >= 0; i--) {
          StatusEffect done = effects.get(i);
          StatusEffect undo = done.undo(done.toStatus() == Status.FINALIZED ? lostFinal : why);
          Map<Hash32, TrackedPreconfirmation> home =
              byTx.containsKey(undo.txHash()) ? byTx : otherChains;
          TrackedPreconfirmation t = home.get(undo.txHash());
          if (t == null) {
            throw new IllegalArgumentException(
                "the candidates lack tx " + undo.txHash() + ", which orphaned block touched");
          }
          undo = keepBrokenBundle(undo, t);
          home.put(
              undo.txHash(),
              new TrackedPreconfirmation(t.preconfirmation(), undo.toStatus(), undo.toFinality()));
          undone.add(undo);
        }
      }
    }

    Judgement j = new Judgement(block, clock, byTx, nowMs);
    j.includeAndOrder();
    j.deadlinesAndExpiry();
    j.finalize(config.depth());
    return new ReconcilePlan(block, expectedVersion, reorg, undone, j.effects, j.violations, nowMs);
  }

  /**
   * An orphaned block's effect undone on a promise that another chain's block has since moved to
   * VIOLATED (its atomic bundle broke there): the inclusion is taken back, the violation stays.
   */
  private static StatusEffect keepBrokenBundle(StatusEffect undo, TrackedPreconfirmation now) {
    if (now.status() != Status.VIOLATED || undo.fromStatus() == Status.VIOLATED) {
      return undo;
    }
    return new StatusEffect(
        undo.preconfirmationId(),
        undo.chainId(),
        undo.txHash(),
        undo.sequence(),
        Status.VIOLATED,
        now.finality(),
        Status.VIOLATED,
        undo.toFinality(),
        undo.reason());
  }

  private static Reorg reorg(Block block, List<SeenBlock> orphaned) {
    List<SeenBlock> lowestFirst = new ArrayList<>(orphaned);
    lowestFirst.sort(Comparator.comparingLong(b -> b.block().number()));
    Block replaced = lowestFirst.get(0).block();
    return new Reorg(
        block.chainId(),
        block.number(),
        replaced.number() == block.number() ? replaced.hash() : null,
        block.hash(),
        lowestFirst.stream().map(b -> b.block().hash()).toList());
  }

  /** The working state of one block's judgement. */
  private static final class Judgement {
    private final Block block;
    private final SlotClock clock;
    private final Map<Hash32, TrackedPreconfirmation> byTx;
    private final long nowMs;
    private final long blockStartMs;
    final List<StatusEffect> effects = new ArrayList<>();
    final List<Violation> violations = new ArrayList<>();

    Judgement(Block block, SlotClock clock, Map<Hash32, TrackedPreconfirmation> byTx, long nowMs) {
      this.block = block;
      this.clock = clock;
      this.byTx = byTx;
      this.nowMs = nowMs;
      this.blockStartMs = clock.slotStartMs(block.slot());
    }

    void includeAndOrder() {
      List<TrackedPreconfirmation> includedHere = new ArrayList<>();
      for (int i = 0; i < block.transactions().size(); i++) {
        TrackedPreconfirmation t = byTx.get(block.transactions().get(i));
        if (t == null || t.finality() != null) {
          continue;
        }
        Finality here = new Finality(block.number(), block.hash(), i);
        Preconfirmation p = t.preconfirmation();
        long target = p.leaf().targetSlot();
        boolean late = block.slot() > target;
        if (t.status() == Status.PRECONFIRMED && late && inForceAtDeadline(p)) {
          String reason =
              "tx "
                  + p.txHash()
                  + " was promised by slot "
                  + target
                  + " but included in block "
                  + block.number()
                  + " at slot "
                  + block.slot();
          move(t, Status.VIOLATED, here, reason);
          violations.add(
              new Violation(
                  p,
                  block.hash(),
                  evidence(
                      ViolationKind.NOT_INCLUDED_BY_TARGET_SLOT,
                      reason,
                      List.of(p),
                      List.of(new Inclusion(p.txHash(), here)))));
        } else if (t.status() == Status.VIOLATED) {
          move(t, Status.VIOLATED, here, "tx " + p.txHash() + " landed after its violation");
        } else {
          move(t, Status.INCLUDED, here, "included in block " + block.number() + " at index " + i);
        }
        includedHere.add(byTx.get(p.txHash()));
      }
      for (TrackedPreconfirmation x : includedHere) {
        checkOrder(x);
      }
    }

    private void checkOrder(TrackedPreconfirmation x) {
      Preconfirmation p = x.preconfirmation();
      if (p.commitment().expiresAt() < blockStartMs) {
        return; // a lapsed promise guarantees no position
      }
      TrackedPreconfirmation overtaker = null;
      for (TrackedPreconfirmation y : byTx.values()) {
        if (y.finality() != null
            && y.preconfirmation().sequence() > p.sequence()
            && Inclusion.before(y.finality(), x.finality()) < 0
            && (overtaker == null
                || y.preconfirmation().sequence() < overtaker.preconfirmation().sequence())) {
          overtaker = y;
        }
      }
      if (overtaker == null) {
        return;
      }
      Preconfirmation q = overtaker.preconfirmation();
      String reason =
          "sequence "
              + p.sequence()
              + " (tx "
              + p.txHash()
              + ") was included at block "
              + x.finality().blockNumber()
              + " index "
              + x.finality().index()
              + ", after sequence "
              + q.sequence()
              + " (tx "
              + q.txHash()
              + ") at block "
              + overtaker.finality().blockNumber()
              + " index "
              + overtaker.finality().index();
      if (x.status() != Status.VIOLATED) {
        move(x, Status.VIOLATED, x.finality(), reason);
      }
      violations.add(
          new Violation(
              p,
              block.hash(),
              evidence(
                  ViolationKind.ORDER_REVERSED,
                  reason,
                  List.of(p, q),
                  List.of(
                      new Inclusion(p.txHash(), x.finality()),
                      new Inclusion(q.txHash(), overtaker.finality())))));
    }

    void deadlinesAndExpiry() {
      for (TrackedPreconfirmation t : List.copyOf(byTx.values())) {
        if (t.status() == Status.DELIVERY_FAILED
            && t.preconfirmation().commitment().expiresAt() < blockStartMs) {
          move(
              t,
              Status.EXPIRED,
              null,
              expired(t.preconfirmation().commitment().expiresAt(), "after its delivery failed"));
          continue;
        }
        if (t.status() != Status.PRECONFIRMED || t.finality() != null) {
          continue;
        }
        Preconfirmation p = t.preconfirmation();
        long target = p.leaf().targetSlot();
        long expiresAt = p.commitment().expiresAt();
        if (target < block.slot()) {
          if (inForceAtDeadline(p)) {
            String reason =
                "tx "
                    + p.txHash()
                    + " was promised by slot "
                    + target
                    + "; block "
                    + block.number()
                    + " at slot "
                    + block.slot()
                    + " came and it was in no block up to it";
            move(t, Status.VIOLATED, null, reason);
            violations.add(
                new Violation(
                    p,
                    block.hash(),
                    evidence(
                        ViolationKind.NOT_INCLUDED_BY_TARGET_SLOT, reason, List.of(p), List.of())));
          } else {
            move(t, Status.EXPIRED, null, expired(expiresAt, "before its target slot " + target));
          }
        } else if (expiresAt < blockStartMs) {
          move(t, Status.EXPIRED, null, expired(expiresAt, "unused"));
        }
      }
    }

    void finalize(int depth) {
      for (TrackedPreconfirmation t : List.copyOf(byTx.values())) {
        if (t.status() == Status.INCLUDED
            && t.finality() != null
            && block.number() - t.finality().blockNumber() >= depth) {
          move(
              t,
              Status.FINALIZED,
              t.finality(),
              "block "
                  + t.finality().blockNumber()
                  + " is "
                  + (block.number() - t.finality().blockNumber())
                  + " deep under head "
                  + block.number());
        }
      }
    }

    private boolean inForceAtDeadline(Preconfirmation p) {
      return p.commitment().expiresAt() >= clock.slotEndMs(p.leaf().targetSlot());
    }

    private static String expired(long expiresAt, String when) {
      return "the promise expired at " + expiresAt + " " + when;
    }

    private void move(TrackedPreconfirmation t, Status to, Finality where, String reason) {
      Preconfirmation p = t.preconfirmation();
      effects.add(StatusEffect.move(p, t, to, where, reason));
      byTx.put(p.txHash(), new TrackedPreconfirmation(p, to, where));
    }

    private Evidence evidence(
        ViolationKind kind,
        String reason,
        List<Preconfirmation> promises,
        List<Inclusion> inclusions) {
      return new Evidence(kind, reason, clock, promises, List.of(block), inclusions, nowMs);
    }
  }

  /** The hashes of blocks an evidence names (through its inclusions) but does not carry. */
  public static List<Hash32> missingBlocks(Collection<Violation> violations) {
    Map<Hash32, Boolean> out = new HashMap<>();
    for (Violation v : violations) {
      for (Inclusion i : v.evidence().inclusions()) {
        Hash32 h = i.where().blockHash();
        if (v.evidence().blocks().stream().noneMatch(b -> b.hash().equals(h))) {
          out.put(h, true);
        }
      }
    }
    return List.copyOf(out.keySet());
  }
}
