package io.preconf.infra.redis;

import io.preconf.core.port.LanePosition;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Which process holds each open lane position, and whether that process still lives, so that a
 * position whose request died with its process (a kill -9, a lost Lambda) is released in seconds
 * rather than after the preconfirm deadline.
 *
 * <p>Each process has a random id ({@link HolderId}, drawn again when a Lambda is restored from a
 * snapshot) and keeps {@code live:<id>} alive in Redis ({@link #heartbeat}, every third of {@code
 * liveFor}); right after a claim assigns positions it marks each with its id ({@link #mark}). A
 * position is orphaned ({@link #orphaned}) when it is still open and its mark names a process whose
 * live key has lapsed, or when it has no mark and is older than {@code liveFor} (its holder died
 * between the claim and the mark, one round trip). Judging a live request's position orphaned (a
 * process stalled past {@code liveFor}) costs that request its promise, never correctness: a voided
 * position's record is refused.
 */
public final class LaneHolders {
  private static final Logger LOG = Logger.getLogger(LaneHolders.class);

  /**
   * How long a mark lives: longer than any position stays open (the sweeper voids them past the
   * preconfirm deadline plus its grace), short enough not to double the lanes' memory.
   */
  private static final Duration MARK_FOR = Duration.ofMinutes(10);

  private final RedisCommands redis;
  private final RedisKeys keys;
  private final HolderId id;
  private final Duration liveFor;

  /**
   * @param liveFor how long this process counts as alive after its last heartbeat or mark
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

  public Duration liveFor() {
    return liveFor;
  }

  /** Keeps this process alive for another {@code liveFor}. */
  public Uni<Void> heartbeat() {
    return redis.send("keeping this process's lane holds alive", alive(id())).replaceWithVoid();
  }

  /**
   * Marks freshly assigned positions as this process's. Best effort: an unmarked position is taken
   * as orphaned once older than {@code liveFor}, which a live request outlasts only when stalled.
   */
  public Uni<Void> mark(List<LanePosition> assigned) {
    if (assigned.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    String holder = id();
    List<Request> writes = new ArrayList<>(assigned.size() + 1);
    writes.add(alive(holder));
    for (LanePosition p : assigned) {
      writes.add(
          Request.cmd(Command.SET)
              .arg(keys.holder(p.chainId(), p.txHash()))
              .arg(p.sequence() + " " + holder)
              .arg("PX")
              .arg(MARK_FOR.toMillis()));
    }
    return redis
        .batch("marking lane positions as this process's", writes)
        .replaceWithVoid()
        .onFailure()
        .recoverWithItem(
            f -> {
              LOG.debugf("could not mark %s as this process's: %s", assigned, f.getMessage());
              return null;
            });
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
      reads.add(Request.cmd(Command.GET).arg(keys.holder(p.chainId(), p.txHash())));
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
      Response mark = marks.get(2 * i);
      boolean open = marks.get(2 * i + 1).toInteger() == 1;
      if (!open) {
        continue;
      }
      String[] seqAndHolder = mark == null ? null : mark.toString().split(" ", 2);
      if (seqAndHolder == null
          || seqAndHolder.length != 2
          || !seqAndHolder[0].equals(Long.toString(p.sequence()))) {
        if (p.receivedAt() < unmarkedBefore) {
          orphaned.add(p);
        }
      } else if (!seqAndHolder[1].equals(self)) {
        marked.add(p);
        holders.add(seqAndHolder[1]);
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
