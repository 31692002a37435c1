package io.preconf.infra.redis;

import io.preconf.core.port.LanePosition;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Which process holds each open lane position, and whether that process still lives, so that a
 * position whose request died with its process (a kill -9, a lost Lambda) is released in seconds
 * rather than after the preconfirm deadline.
 *
 * <p>Each process has a random id ({@link HolderId}, drawn again when a Lambda is restored from a
 * snapshot) and keeps {@code live:<id>} alive in Redis ({@link #heartbeat}, every third of {@code
 * liveFor}) once it has claimed; the claim that assigns positions marks each with its id, in the
 * {@code holder} field of the transaction's claim ({@code claim.lua}, in the same step, which also
 * renews the live key when less than half of {@code liveFor} is left of it). A position is orphaned
 * ({@link #orphaned}) when it is still open and its mark names a process whose live key has lapsed,
 * or when it has no mark (restored from the durable store) and is older than {@code liveFor}.
 * Judging a live request's position orphaned (a process stalled past {@code liveFor}) costs that
 * request its promise, never correctness: a voided position's record is refused.
 */
public final class LaneHolders {

  private final RedisCommands redis;
  private final RedisKeys keys;
  private final HolderId id;
  private final Duration liveFor;

  /**
   * Whether this process has claimed positions yet: until it has, it holds nothing, and its
   * heartbeat writes nothing (a feed node never claims; every write is an fsync of Redis's AOF).
   */
  private volatile boolean claiming;

  /**
   * @param liveFor how long this process counts as alive after its last heartbeat (or a claim that
   *     found less than half of it left)
   */
  public LaneHolders(RedisCommands redis, RedisKeys keys, Duration liveFor) {
    this.redis = redis;
    this.keys = keys;
    this.liveFor = liveFor;
    this.id = HolderId.drawn();
  }

  /** This process's id now: a restore from a snapshot draws a new one. */
  public String id() {
    return id.value();
  }

  /** This process's id, for a claim to mark what it assigns: the heartbeat runs from now on. */
  public String claimingAs() {
    claiming = true;
    return id();
  }

  public Duration liveFor() {
    return liveFor;
  }

  /**
   * Keeps this process alive for another {@code liveFor}, once it has claimed positions ({@link
   * #claimingAs}); before that there is nothing to keep.
   */
  public Uni<Void> heartbeat() {
    if (!claiming) {
      return Uni.createFrom().voidItem();
    }
    return redis.send("keeping this process's lane holds alive", alive(id())).replaceWithVoid();
  }

  /**
   * Those of {@code held} (each with its sequence and Redis' stamp) that are still open and whose
   * holder is gone.
   */
  public Uni<List<LanePosition>> orphaned(List<LanePosition> held) {
    if (held.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    List<Request> reads = new ArrayList<>(held.size() * 2);
    for (LanePosition p : held) {
      reads.add(
          Request.cmd(Command.HMGET)
              .arg(keys.tx(p.chainId(), p.txHash()))
              .arg("seq")
              .arg("holder"));
      reads.add(
          Request.cmd(Command.HEXISTS)
              .arg(keys.open(p.chainId()))
              .arg(Long.toString(p.sequence())));
    }
    return redis
        .batch("reading lane positions' holders", reads)
        .onItem()
        .transformToUni(marks -> judge(held, marks));
  }

  private Uni<List<LanePosition>> judge(List<LanePosition> held, List<Response> marks) {
    // "at" is Redis' clock; this assumes the clocks agree to well within liveFor.
    long unmarkedBefore = System.currentTimeMillis() - liveFor.toMillis();
    List<LanePosition> orphaned = new ArrayList<>();
    List<LanePosition> marked = new ArrayList<>();
    List<String> holders = new ArrayList<>();
    String self = id();
    for (int i = 0; i < held.size(); i++) {
      LanePosition p = held.get(i);
      Response claim = marks.get(2 * i);
      boolean open = marks.get(2 * i + 1).toInteger() == 1;
      if (!open) {
        continue;
      }
      Response seq = claim == null ? null : claim.get(0);
      Response holder = claim == null ? null : claim.get(1);
      if (seq == null || holder == null || seq.toLong() != p.sequence()) {
        if (p.receivedAt() < unmarkedBefore) {
          orphaned.add(p);
        }
      } else if (!holder.toString().equals(self)) {
        marked.add(p);
        holders.add(holder.toString());
      }
    }
    if (marked.isEmpty()) {
      return Uni.createFrom().item(orphaned);
    }
    List<Request> alive = new ArrayList<>(holders.size());
    for (String holder : holders) {
      alive.add(Request.cmd(Command.EXISTS).arg(keys.live(holder)));
    }
    return redis
        .batch("reading whether lane holders live", alive)
        .onItem()
        .transform(
            live -> {
              for (int i = 0; i < marked.size(); i++) {
                if (live.get(i).toInteger() == 0) {
                  orphaned.add(marked.get(i));
                }
              }
              return orphaned;
            });
  }

  private Request alive(String holder) {
    return Request.cmd(Command.SET)
        .arg(keys.live(holder))
        .arg("1")
        .arg("PX")
        .arg(liveFor.toMillis());
  }
}
