package io.preconf.infra.redis;

import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.RejectedException;
import io.preconf.core.error.Rejection;
import io.preconf.core.port.ClaimGroup;
import io.preconf.core.port.LaneClaim;
import io.preconf.core.port.LaneOutcome;
import io.preconf.core.port.LanePosition;
import io.preconf.core.port.LaneSequencer;
import io.preconf.core.types.Address;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.preconf.infra.redis.LaneHistory.HeldClaim;
import io.preconf.infra.redis.LaneHistory.LaneSnapshot;
import io.preconf.infra.util.SingleFlight;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Lanes in Redis. Each {@link #claimAll} is one Lua script over every leg of every group (see
 * {@code claim.lua}), so checks and writes happen in one step that no other request can interleave
 * with, whichever engine process sends it.
 *
 * <p>A lane Redis has no head for is restored from the durable store before any position on it is
 * assigned ({@link LaneHistory}); the script refuses to assign on an unknown lane, so a Redis that
 * came back empty can never hand out a sequence that was already used.
 */
public final class RedisLaneSequencer implements LaneSequencer {
  private static final Logger LOG = Logger.getLogger(RedisLaneSequencer.class);
  private static final LuaScript CLAIM = LuaScript.load("claim");
  private static final LuaScript SEED = LuaScript.load("seed");
  private static final LuaScript RESTORE = LuaScript.load("restore");
  private static final LuaScript ABANDON = LuaScript.load("abandon");
  private static final int RESTORE_BATCH = 500;
  private static final int SEED_ROUNDS = 3;

  /**
   * How far Redis' clock, which stamps positions, may be behind this process's when a claim whose
   * answer never came is reconciled.
   */
  private static final long CLOCK_SLACK_MS = 1_000;

  private final RedisCommands redis;
  private final RedisKeys keys;
  private final LaneHistory history;
  private final Duration slotTtl;
  private final Duration claimTtl;
  private final RedisFeedLog feed;
  private final LaneHolders holders;
  private final SingleFlight<ChainId, Void> seeding = new SingleFlight<>();

  /**
   * @param slotTtl how long a slot's usage counters live; must outlast the lookahead window
   * @param claimTtl how long a transaction's and a (sender, nonce)'s claims stay in Redis: long
   *     enough to answer resubmissions from Redis while their promise holds; after it the durable
   *     store's unique constraints refuse a second promise
   * @param feed the feed log, told when a void position lets it move on
   * @param holders who holds each open position, so that one whose process died is released when
   *     its transaction comes again or the sweeper passes, not after the preconfirm deadline
   */
  public RedisLaneSequencer(
      RedisCommands redis,
      RedisKeys keys,
      LaneHistory history,
      Duration slotTtl,
      Duration claimTtl,
      RedisFeedLog feed,
      LaneHolders holders) {
    this.redis = redis;
    this.keys = keys;
    this.history = history;
    this.slotTtl = slotTtl;
    this.claimTtl = claimTtl;
    this.feed = feed;
    this.holders = holders;
  }

  /** A sequencer whose process counts as alive for at least half a minute after each claim. */
  public RedisLaneSequencer(
      RedisCommands redis,
      RedisKeys keys,
      LaneHistory history,
      Duration slotTtl,
      Duration claimTtl,
      RedisFeedLog feed) {
    this(
        redis,
        keys,
        history,
        slotTtl,
        claimTtl,
        feed,
        new LaneHolders(redis, keys, Duration.ofMinutes(1)));
  }

  /**
   * As the port says; besides, a transaction held by a position whose process is gone (see {@link
   * LaneHolders}) is not answered as held: that position is voided and the transaction claims anew,
   * so resubmitting what a crashed process held gets a position at once instead of waiting for a
   * record nobody will make.
   */
  @Override
  public Uni<List<List<LaneOutcome>>> claimAll(List<ClaimGroup> groups) {
    List<LaneClaim> claims = new ArrayList<>();
    groups.forEach(g -> claims.addAll(g.claims()));
    if (claims.isEmpty()) {
      return Uni.createFrom().item(groups.stream().map(g -> List.<LaneOutcome>of()).toList());
    }
    return attempt(groups, claims, 0)
        .onItem()
        .transformToUni(outcomes -> reclaimOrphans(groups, byGroup(groups, outcomes)));
  }

  /** One group's claims, as a call of its own. */
  private Uni<List<LaneOutcome>> claimGroup(List<LaneClaim> claims, boolean atomic) {
    return attempt(List.of(new ClaimGroup(claims, atomic)), claims, 0);
  }

  /** {@link #reclaimOrphans(List, boolean, List)} for each group of a call. */
  private Uni<List<List<LaneOutcome>>> reclaimOrphans(
      List<ClaimGroup> groups, List<List<LaneOutcome>> first) {
    List<Uni<List<LaneOutcome>>> each = new ArrayList<>(groups.size());
    for (int i = 0; i < groups.size(); i++) {
      each.add(reclaimOrphans(groups.get(i).claims(), groups.get(i).atomic(), first.get(i)));
    }
    return Uni.join().all(each).andFailFast();
  }

  /**
   * Voids the positions of held legs whose holders are gone, then claims those legs once more: the
   * released legs alone for a request that is not atomic; the whole request for an atomic one,
   * after voiding what its first claim assigned, so that its legs are still claimed in one step.
   */
  private Uni<List<LaneOutcome>> reclaimOrphans(
      List<LaneClaim> claims, boolean atomic, List<LaneOutcome> first) {
    List<LanePosition> wanted = new ArrayList<>();
    for (int i = 0; i < claims.size(); i++) {
      LaneClaim c = claims.get(i);
      if (first.get(i) instanceof LaneOutcome.AlreadyPreconfirmed) {
        wanted.add(new LanePosition(c.chainId(), c.txHash(), 0, Hash32.ZERO, 0));
      }
    }
    boolean refused = first.stream().anyMatch(o -> o instanceof LaneOutcome.Refused);
    if (wanted.isEmpty() || (atomic && refused)) {
      return Uni.createFrom().item(first);
    }
    return heldPositions(wanted)
        .onItem()
        .transformToUni(holders::orphaned)
        .onItem()
        .transformToUni(this::voidUnrecorded)
        .onItem()
        .transformToUni(
            released -> {
              if (released.isEmpty()) {
                return Uni.createFrom().item(first);
              }
              LOG.warnf(
                  "voided %d position(s) whose process is gone, to claim their transactions"
                      + " again: %s",
                  released.size(), released);
              return atomic
                  ? abandon(assigned(first)).chain(() -> claimGroup(claims, true))
                  : claimReleased(claims, first, released);
            });
  }

  private Uni<List<LaneOutcome>> claimReleased(
      List<LaneClaim> claims, List<LaneOutcome> first, List<LanePosition> released) {
    List<Integer> at = new ArrayList<>();
    for (int i = 0; i < claims.size(); i++) {
      LaneClaim c = claims.get(i);
      if (released.stream()
          .anyMatch(p -> p.chainId().equals(c.chainId()) && p.txHash().equals(c.txHash()))) {
        at.add(i);
      }
    }
    return claimGroup(at.stream().map(claims::get).toList(), false)
        .onItem()
        .transform(
            again -> {
              List<LaneOutcome> merged = new ArrayList<>(first);
              for (int j = 0; j < at.size(); j++) {
                merged.set(at.get(j), again.get(j));
              }
              return merged;
            });
  }

  private static List<LanePosition> assigned(List<LaneOutcome> outcomes) {
    return outcomes.stream()
        .filter(o -> o instanceof LaneOutcome.Assigned)
        .map(o -> ((LaneOutcome.Assigned) o).position())
        .toList();
  }

  /** The outcomes of all legs, in leg order, cut back into the groups they came in. */
  private static List<List<LaneOutcome>> byGroup(
      List<ClaimGroup> groups, List<LaneOutcome> outcomes) {
    List<List<LaneOutcome>> out = new ArrayList<>(groups.size());
    int from = 0;
    for (ClaimGroup g : groups) {
      out.add(outcomes.subList(from, from + g.claims().size()));
      from += g.claims().size();
    }
    return out;
  }

  /**
   * @param claims every group's claims, one group after the other
   */
  private Uni<List<LaneOutcome>> attempt(
      List<ClaimGroup> groups, List<LaneClaim> claims, int round) {
    List<String> k = new ArrayList<>(claims.size() * 6 + 1);
    List<String> a = new ArrayList<>(6 + groups.size() * 2 + claims.size() * 15);
    a.add(Integer.toString(groups.size()));
    a.add(Long.toString(slotTtl.toSeconds()));
    // Past this instant the caller has given up (see claim.lua); compared with Redis' clock, so
    // it assumes the two clocks agree to well within the timeout.
    a.add(Long.toString(System.currentTimeMillis() + redis.timeout().toMillis()));
    a.add(Long.toString(claimTtl.toSeconds()));
    // What the claim assigns is marked as this process's in the same step (see LaneHolders).
    String holder = holders.claimingAs();
    a.add(holder);
    a.add(Long.toString(holders.liveFor().toMillis()));
    for (ClaimGroup g : groups) {
      a.add(g.atomic() ? "1" : "0");
      a.add(Integer.toString(g.claims().size()));
    }
    for (LaneClaim c : claims) {
      k.add(keys.lane(c.chainId()));
      k.add(keys.tx(c.chainId(), c.txHash()));
      k.add(keys.nonce(c.chainId(), c.sender(), c.nonce()));
      k.add(keys.slot(c.chainId(), c.targetSlot()));
      k.add(keys.open(c.chainId()));
      k.add(keys.held(c.chainId(), c.sender()));
      a.add(Long.toString(c.chainId().value()));
      a.add(c.txHash().toHex());
      a.add(c.sender().toHex());
      a.add(Long.toString(c.nonce()));
      a.add(Long.toString(c.gasLimit()));
      a.add(Long.toString(c.targetSlot()));
      a.add(Integer.toString(c.maxPerSlot()));
      a.add(Long.toString(c.maxGasPerSlot()));
      addState(a, c.state());
      a.add(Long.toString(c.lastSlot()));
    }
    k.add(keys.live(holder));
    long sentAt = System.currentTimeMillis();
    return redis
        .eval("claiming lane positions", CLAIM, k, a)
        .onFailure()
        .call(failure -> reconcile(claims, sentAt))
        .onItem()
        .transformToUni(
            r -> {
              String status = r.get(0).toString();
              if ("LATE".equals(status)) {
                return Uni.createFrom()
                    .failure(
                        new RejectedException(
                            Rejection.backendUnavailable(
                                "claiming lane positions: Redis at "
                                    + redis.endpoint()
                                    + " ran the claim after its deadline; nothing was assigned")));
              }
              if (!"UNSEEDED".equals(status)) {
                return Uni.createFrom().item(outcomes(r, claims));
              }
              if (round >= SEED_ROUNDS) {
                return Uni.createFrom()
                    .failure(
                        new IllegalStateException(
                            "lanes " + unseeded(r) + " are still unknown after seeding them"));
              }
              return seed(unseeded(r)).chain(() -> attempt(groups, claims, round + 1));
            });
  }

  /**
   * After a claim whose answer never came (Redis timed out on this side, or the connection broke):
   * the script may have run in time all the same and assigned positions nobody will sign. Every
   * position the claimed transactions hold that was assigned since the claim was sent is voided
   * now; one a concurrent request holds for the same transaction may be voided with them, which is
   * safe (its record is then refused and it may be submitted again). Best effort: when Redis cannot
   * be reached now either, the sweeper voids them once they are old enough.
   */
  private Uni<Void> reconcile(List<LaneClaim> claims, long sentAt) {
    List<LanePosition> sent =
        claims.stream()
            .map(c -> new LanePosition(c.chainId(), c.txHash(), 0, Hash32.ZERO, sentAt))
            .toList();
    return heldPositions(sent)
        .onItem()
        .transform(held -> held.stream().filter(p -> p.receivedAt() >= sentAt - CLOCK_SLACK_MS))
        .onItem()
        .transformToUni(assigned -> voidUnrecorded(assigned.toList()))
        .invoke(
            voided -> {
              if (!voided.isEmpty()) {
                LOG.warnf(
                    "a claim's answer did not arrive in time; voided %d position(s) it may have"
                        + " assigned: %s",
                    voided.size(), voided);
              }
            })
        .onFailure()
        .recoverWithItem(
            f -> {
              LOG.warnf(
                  "could not reconcile a claim whose answer did not arrive in time (%s); the"
                      + " sweeper voids what it assigned",
                  f.getMessage());
              return List.of();
            })
        .replaceWithVoid();
  }

  /**
   * The positions the given transactions hold now, as Redis has them (the sequence and its stamp),
   * whatever sequence {@code wanted} names.
   */
  private Uni<List<LanePosition>> heldPositions(List<LanePosition> wanted) {
    if (wanted.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    List<Request> reads = new ArrayList<>(wanted.size());
    for (LanePosition p : wanted) {
      reads.add(
          Request.cmd(Command.HMGET).arg(keys.tx(p.chainId(), p.txHash())).arg("seq").arg("at"));
    }
    return redis
        .batch("reading held positions", reads)
        .onItem()
        .transform(
            held -> {
              List<LanePosition> out = new ArrayList<>();
              for (int i = 0; i < wanted.size(); i++) {
                Response h = held.get(i);
                if (h.get(0) != null && h.get(1) != null) {
                  LanePosition p = wanted.get(i);
                  out.add(
                      new LanePosition(
                          p.chainId(),
                          p.txHash(),
                          h.get(0).toLong(),
                          Hash32.ZERO,
                          h.get(1).toLong()));
                }
              }
              return out;
            });
  }

  @Override
  public Uni<List<LanePosition>> sweep(ChainId chainId, Duration olderThan) {
    return redis
        .send(
            "reading the open positions of lane " + chainId,
            Request.cmd(Command.HGETALL).arg(keys.open(chainId)))
        .onItem()
        .transform(open -> openPositions(chainId, open))
        .onItem()
        .transformToUni(this::heldPositions)
        .onItem()
        .transformToUni(
            held -> {
              // "at" is the lane's clock, Redis' own; this assumes the clocks agree to well
              // within olderThan.
              long before = System.currentTimeMillis() - olderThan.toMillis();
              List<LanePosition> old = held.stream().filter(p -> p.receivedAt() < before).toList();
              List<LanePosition> young =
                  held.stream().filter(p -> p.receivedAt() >= before).toList();
              return holders
                  .orphaned(young)
                  .onItem()
                  .transformToUni(
                      orphaned -> {
                        List<LanePosition> gone = new ArrayList<>(old);
                        gone.addAll(orphaned);
                        return voidUnrecorded(gone);
                      });
            });
  }

  /** The open hash of a lane (sequence -> tx), a map in RESP3 and a flat list in RESP2. */
  private static List<LanePosition> openPositions(ChainId chain, Response open) {
    List<LanePosition> out = new ArrayList<>();
    if (open == null) {
      return out;
    }
    if (open.isMap()) {
      for (String seq : open.getKeys()) {
        out.add(openPosition(chain, seq, open.get(seq)));
      }
    } else {
      for (int i = 0; i + 1 < open.size(); i += 2) {
        out.add(openPosition(chain, open.get(i).toString(), open.get(i + 1)));
      }
    }
    return out;
  }

  private static LanePosition openPosition(ChainId chain, String seq, Response tx) {
    return new LanePosition(
        chain,
        Hash32.fromHex("open position's tx", tx.toString()),
        Long.parseLong(seq),
        Hash32.ZERO,
        0);
  }

  /**
   * Voids positions nobody recorded: first in the durable store, which from then on refuses their
   * record (see {@link LaneHistory#voidUnrecorded}), then in the lanes, releasing their claims. A
   * recorded one is left alone. Safe to repeat, and to run from several processes at once.
   */
  private Uni<List<LanePosition>> voidUnrecorded(List<LanePosition> positions) {
    if (positions.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    return history.voidUnrecorded(positions).call(unrecorded -> abandon(unrecorded));
  }

  /** The sender's state on the node as claim.lua reads it: six values, or six empty ones. */
  private static void addState(List<String> a, LaneClaim.StateCheck s) {
    if (s == null) {
      a.addAll(List.of("", "", "", "", "", ""));
      return;
    }
    a.add(Long.toString(s.nodeNonce()));
    a.add(s.balanceWei().toString());
    a.add(s.baseFeeWei().toString());
    a.add(s.maxFeeWei().toString());
    a.add(s.costWei().toString());
    a.add(Long.toString(s.holdMs()));
  }

  private static List<ChainId> unseeded(Response r) {
    Set<ChainId> chains = new LinkedHashSet<>();
    for (int i = 1; i < r.size(); i++) {
      chains.add(ChainId.of(r.get(i).toLong()));
    }
    return List.copyOf(chains);
  }

  private static List<LaneOutcome> outcomes(Response r, List<LaneClaim> claims) {
    List<LaneOutcome> out = new ArrayList<>(claims.size());
    for (int i = 0; i < claims.size(); i++) {
      Response o = r.get(i + 1);
      LaneClaim c = claims.get(i);
      out.add(
          switch (o.get(0).toString()) {
            case "ASSIGNED" ->
                new LaneOutcome.Assigned(
                    new LanePosition(
                        c.chainId(),
                        c.txHash(),
                        o.get(1).toLong(),
                        Hash32.fromHex("lane head", o.get(2).toString()),
                        o.get(3).toLong()),
                    o.get(4).toLong());
            case "HELD" -> new LaneOutcome.AlreadyPreconfirmed();
            case "SKIPPED" -> new LaneOutcome.Skipped();
            case "REFUSED" -> new LaneOutcome.Refused(refusal(o));
            default -> throw new IllegalStateException("claim.lua answered " + o);
          });
    }
    return out;
  }

  private static Rejection refusal(Response o) {
    Reason reason = Reason.valueOf(o.get(1).toString());
    String message = o.get(2).toString();
    return switch (reason) {
      case SLOT_CAPACITY_EXCEEDED ->
          Rejection.of(ErrorCode.PRECONFIRMATION_GENERATION_FAILED, reason, message);
      default -> Rejection.invalidTransaction(reason, message);
    };
  }

  /** Restores lane heads (and the claims recorded on them) from the durable store. */
  private Uni<Void> seed(List<ChainId> chains) {
    List<Uni<Void>> each = new ArrayList<>();
    for (ChainId chain : chains) {
      each.add(seedOnce(chain));
    }
    return Uni.combine().all().unis(each).discardItems();
  }

  /**
   * A burst of first claims on a lane would otherwise read the same history many times; callers
   * that arrive while one restore is running share it. (Seeding is idempotent, so two processes
   * doing it at once is harmless too.)
   */
  private Uni<Void> seedOnce(ChainId chain) {
    return seeding.run(
        chain,
        c ->
            history
                .snapshot(
                    c, claimTtl.isZero() ? 0 : System.currentTimeMillis() - claimTtl.toMillis())
                .onItem()
                .transformToUni(this::restore));
  }

  private Uni<Void> restore(LaneSnapshot s) {
    Uni<Void> claims = Uni.createFrom().voidItem();
    List<HeldClaim> held = s.claims();
    for (int from = 0; from < held.size(); from += RESTORE_BATCH) {
      List<HeldClaim> batch = held.subList(from, Math.min(held.size(), from + RESTORE_BATCH));
      claims = claims.chain(() -> restoreClaims(s.chain(), batch));
    }
    return claims
        .chain(
            () ->
                redis.eval(
                    "restoring the head of lane " + s.chain(),
                    SEED,
                    List.of(keys.lane(s.chain()), keys.feedHead(s.chain())),
                    List.of(
                        Long.toString(s.sequence()),
                        s.txHash().toHex(),
                        Long.toString(s.receivedAt()))))
        .invoke(
            r -> {
              if (r.toInteger() == 1 && s.sequence() > 0) {
                LOG.infof(
                    "lane %s restored from the durable store at sequence %d with %d claims",
                    s.chain(), s.sequence(), s.claims().size());
              }
            })
        .replaceWithVoid();
  }

  private Uni<Void> restoreClaims(ChainId chain, List<HeldClaim> batch) {
    List<String> k = new ArrayList<>(batch.size() * 4);
    List<String> a = new ArrayList<>(2 + batch.size() * 9);
    a.add(Long.toString(claimTtl.toSeconds()));
    a.add(Long.toString(slotTtl.toSeconds()));
    long now = System.currentTimeMillis();
    for (HeldClaim c : batch) {
      k.add(keys.tx(chain, c.txHash()));
      k.add(keys.nonce(chain, c.sender(), c.nonce()));
      k.add(keys.slot(chain, c.targetSlot()));
      k.add(keys.held(chain, c.sender()));
      a.add(c.txHash().toHex());
      a.add(Long.toString(c.sequence()));
      a.add(c.sender().toHex());
      a.add(Long.toString(c.nonce()));
      a.add(Long.toString(c.targetSlot()));
      a.add(Long.toString(c.receivedAt()));
      a.add(c.reservedWei() == null ? "" : c.reservedWei().toString());
      a.add(Long.toString(c.reservedUntil()));
      a.add(Long.toString(Math.max(1, c.reservedUntil() - now)));
    }
    return redis.eval("restoring claims of lane " + chain, RESTORE, k, a).replaceWithVoid();
  }

  @Override
  public Uni<Void> abandon(List<LanePosition> positions) {
    if (positions.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    // The nonce and slot keys are named by what the tx key holds, so read it first: the script
    // then gets every key it touches in KEYS, as Redis Cluster requires.
    List<Request> reads = new ArrayList<>();
    for (LanePosition p : positions) {
      reads.add(
          Request.cmd(Command.HMGET)
              .arg(keys.tx(p.chainId(), p.txHash()))
              .arg("seq")
              .arg("sender")
              .arg("nonce")
              .arg("slot"));
    }
    return redis
        .batch("reading positions to void", reads)
        .onItem()
        .transformToUni(held -> voidHeld(positions, held));
  }

  @Override
  public Uni<Optional<LanePosition>> releaseStale(
      ChainId chainId, Hash32 txHash, Duration olderThan) {
    return redis
        .send(
            "reading a held position",
            Request.cmd(Command.HMGET).arg(keys.tx(chainId, txHash)).arg("seq").arg("at"))
        .onItem()
        .transformToUni(
            held -> {
              if (held.get(0) == null || held.get(1) == null) {
                return Uni.createFrom().item(Optional.<LanePosition>empty());
              }
              // "at" is the lane's clock, Redis' own; like the claim's deadline, this assumes the
              // clocks agree to well within olderThan.
              long at = held.get(1).toLong();
              if (System.currentTimeMillis() - at <= olderThan.toMillis()) {
                return Uni.createFrom().item(Optional.<LanePosition>empty());
              }
              LanePosition stale =
                  new LanePosition(chainId, txHash, held.get(0).toLong(), Hash32.ZERO, at);
              LOG.warnf(
                  "transaction %s on chain %s has held sequence %d since %d with no record;"
                      + " voiding it so that it can be submitted again",
                  txHash, chainId, stale.sequence(), at);
              return voidUnrecorded(List.of(stale))
                  .onItem()
                  .transform(voided -> voided.stream().findFirst());
            });
  }

  private Uni<Void> voidHeld(List<LanePosition> positions, List<Response> held) {
    List<String> k = new ArrayList<>();
    List<String> a = new ArrayList<>();
    List<LanePosition> voided = new ArrayList<>();
    Set<ChainId> chains = new LinkedHashSet<>();
    for (int i = 0; i < positions.size(); i++) {
      LanePosition p = positions.get(i);
      Response h = held.get(i);
      if (h.get(0) == null || h.get(0).toLong() != p.sequence()) {
        continue; // not held at that sequence (already voided, or never assigned here)
      }
      ChainId c = p.chainId();
      Address sender = Address.fromHex("sender", h.get(1).toString());
      long nonce = h.get(2).toLong();
      k.add(keys.tx(c, p.txHash()));
      k.add(keys.nonce(c, sender, nonce));
      k.add(keys.slot(c, h.get(3).toLong()));
      k.add(keys.voids(c));
      k.add(keys.open(c));
      k.add(keys.held(c, sender));
      a.add(p.txHash().toHex());
      a.add(Long.toString(p.sequence()));
      a.add(Long.toString(nonce));
      voided.add(p);
      chains.add(c);
    }
    if (voided.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return redis
        .eval("voiding lane positions", ABANDON, k, a)
        .chain(() -> feed.advance(chains))
        .chain(() -> keepVoidDurably(voided));
  }

  /**
   * Best effort: Redis already holds the void positions (and persists them), and abandon is usually
   * called because the durable store just failed. Only a later loss of Redis' data would need these
   * rows, and the sequences they name were never promised to anyone.
   */
  private Uni<Void> keepVoidDurably(List<LanePosition> voided) {
    return history
        .recordVoid(voided)
        .onFailure()
        .recoverWithItem(
            f -> {
              LOG.warnf(
                  "void positions %s are kept in Redis but not yet in the durable store: %s",
                  voided, f.getMessage());
              return null;
            });
  }
}
