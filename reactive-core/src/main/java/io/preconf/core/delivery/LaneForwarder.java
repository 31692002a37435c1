package io.preconf.core.delivery;

import io.preconf.core.commit.Status;
import io.preconf.core.commit.StatusChange;
import io.preconf.core.delivery.DeliveryLedger.Write;
import io.preconf.core.delivery.DeliveryRules.Delivered;
import io.preconf.core.delivery.DeliveryRules.Fail;
import io.preconf.core.delivery.DeliveryRules.Plan;
import io.preconf.core.delivery.DeliveryRules.Retry;
import io.preconf.core.delivery.DeliveryRules.Send;
import io.preconf.core.delivery.DeliveryRules.Verdict;
import io.preconf.core.feed.LaneArchive;
import io.preconf.core.feed.LaneEntry;
import io.preconf.core.feed.LaneLog;
import io.preconf.core.feed.LaneReader;
import io.preconf.core.node.RollupNode;
import io.preconf.core.port.Clock;
import io.preconf.core.port.StatusPublisher;
import io.preconf.core.types.ChainId;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;

/**
 * Hands one lane's promised transactions to its rollup's node, strictly in lane order, one step at
 * a time ({@link #step}); {@link DeliveryLoop} runs the steps. What each position and each answer
 * means is {@link DeliveryRules}; this class is the I/O around it.
 *
 * <p>A step:
 *
 * <ol>
 *   <li><b>Lease.</b> Without the lane's lease, it asks for it ({@link DeliveryLease#hold}); a
 *       process that gets it takes the lane over ({@link DeliveryLedger#takeOver}): a new fence and
 *       the cursor, from which it resumes. A holder renews at a third of the lease's time to live;
 *       one that finds the lease gone, or a write of its fenced out, stops delivering at once.
 *   <li><b>Read.</b> The lane from the cursor on, through a {@link LaneReader}: the live log where
 *       it holds the entries, the archive where it does not, missing sequences stepped over once
 *       settled.
 *   <li><b>Send.</b> Each position in order: void ones stepped over, promises sent and judged. An
 *       unreachable node stops the batch at that position, to be tried again after a back-off, so
 *       nothing after it reaches the node first. A refusal is recorded as DELIVERY_FAILED (with the
 *       cursor, in one fenced write) and published on the status feed; delivery goes on.
 *   <li><b>Cursor.</b> What was delivered is written, fenced, once per batch: a crash re-sends at
 *       most one batch, which the node answers "already known" or "already mined".
 * </ol>
 *
 * <p>Not thread-safe: one step at a time.
 */
public final class LaneForwarder {
  private static final System.Logger LOG = System.getLogger(LaneForwarder.class.getName());

  /** Where a lane is read from and delivered to. */
  public record Ports(
      DeliveryLease lease,
      DeliveryLedger ledger,
      RollupNode node,
      StatusPublisher statuses,
      LaneLog log,
      LaneArchive archive,
      Clock clock) {}

  /**
   * @param leaseTtl how long a lease outlives its holder's last renewal; a crashed holder's lane
   *     waits this long for another process
   * @param batchSize positions read and sent in one step
   * @param settle how long a sequence missing from the log and the archive may still turn up
   * @param idlePoll how often a lane with nothing new is read again, and how often a process
   *     without the lease asks for it
   */
  public record Settings(
      Duration leaseTtl, int batchSize, Duration settle, Duration idlePoll, Backoff retry) {}

  private enum Stop {
    /** The batch is done. */
    END,
    /** The node did not answer for a position: try it again after a back-off. */
    RETRY,
    /** The lease is due for renewal before more is sent. */
    RENEW,
    /** Another process took the lane over. */
    FENCED_OUT
  }

  private final ChainId chain;
  private final String holder;
  private final Ports ports;
  private final Settings settings;
  private final DeliveryLag lag;

  /** The fence of this process's takeover; 0 while it does not hold the lane. */
  private long fence;

  private long head;
  private long through;
  private long persisted;
  private long waitingSince;
  private long renewAt;
  private long retryAt;
  private int attempts;
  private LaneReader reader;

  /**
   * @param holder names this process in the lease, unique among processes (host and a random part)
   */
  public LaneForwarder(
      ChainId chain, String holder, Ports ports, Settings settings, DeliveryLag lag) {
    this.chain = chain;
    this.holder = holder;
    this.ports = ports;
    this.settings = settings;
    this.lag = lag;
  }

  public ChainId chain() {
    return chain;
  }

  /** Whether this forwarder holds the lane (as of its last step). */
  public boolean holding() {
    return fence != 0;
  }

  /**
   * One step (see the class comment); the time to wait before the next, never past the lease's
   * renewal, so that a long back-off cannot let the lease run out. Never fails.
   */
  public Uni<Duration> step() {
    boolean due = fence == 0 || ports.clock().nowMillis() >= renewAt;
    return (due ? hold() : Uni.createFrom().item(true))
        .onItem()
        .transformToUni(
            held -> held ? deliverWhenDue() : Uni.createFrom().item(settings.idlePoll()))
        .onFailure()
        .recoverWithItem(
            failure -> {
              Duration wait = backOff();
              LOG.log(
                  System.Logger.Level.WARNING,
                  "delivery of lane "
                      + chain
                      + " failed; trying again in "
                      + wait.toMillis()
                      + " ms",
                  failure);
              return wait;
            })
        .onItem()
        .transform(this::untilRenewal);
  }

  /** Delivers, unless a back-off runs: then only waits out the rest of it. */
  private Uni<Duration> deliverWhenDue() {
    long left = retryAt - ports.clock().nowMillis();
    return left > 0 ? Uni.createFrom().item(Duration.ofMillis(left)) : deliver();
  }

  /** The next back-off: counts the attempt and sets when delivery may try again. */
  private Duration backOff() {
    attempts++;
    Duration wait = settings.retry().delay(attempts);
    retryAt = ports.clock().nowMillis() + wait.toMillis();
    return wait;
  }

  /**
   * {@code wait}, cut short at the lease's renewal while this process holds the lane. A renewal
   * already due (the lease's store failed to answer) cuts nothing: the back-off applies.
   */
  private Duration untilRenewal(Duration wait) {
    long left = renewAt - ports.clock().nowMillis();
    if (fence == 0 || left <= 0) {
      return wait;
    }
    return wait.toMillis() > left ? Duration.ofMillis(left) : wait;
  }

  /**
   * Stops delivering: writes what was delivered and gives the lease up, so that another process
   * takes over at once instead of after the lease's time to live.
   */
  public Uni<Void> release() {
    if (fence == 0) {
      return Uni.createFrom().voidItem();
    }
    return persist()
        .onFailure()
        .recoverWithItem(Stop.END)
        .chain(() -> ports.lease().release(chain, holder))
        .onFailure()
        .recoverWithNull()
        .invoke(() -> lost("released"));
  }

  private Uni<Boolean> hold() {
    long asked = ports.clock().nowMillis();
    return ports
        .lease()
        .hold(chain, holder, settings.leaseTtl())
        .onItem()
        .transformToUni(
            held -> {
              if (!held) {
                if (fence != 0) {
                  lost("its lease is held by another process");
                }
                return Uni.createFrom().item(false);
              }
              renewAt = asked + settings.leaseTtl().toMillis() / 3;
              if (fence != 0) {
                return Uni.createFrom().item(true);
              }
              return ports.ledger().takeOver(chain).onItem().transform(this::tookOver);
            });
  }

  private boolean tookOver(DeliveryLedger.Cursor cursor) {
    fence = cursor.fence();
    through = cursor.deliveredThrough();
    persisted = through;
    attempts = 0;
    retryAt = 0;
    reader =
        new LaneReader(
            chain,
            ports.log(),
            ports.archive(),
            settings.batchSize(),
            settings.settle(),
            ports.clock(),
            NO_COUNTS);
    lag.held(through);
    LOG.log(
        System.Logger.Level.INFO,
        "delivering lane " + chain + " from sequence " + (through + 1) + " (fence " + fence + ")");
    return true;
  }

  private Uni<Duration> deliver() {
    return ports
        .log()
        .head(chain)
        .invoke(
            h -> {
              head = h;
              lag.head(h);
            })
        .onItem()
        .transformToUni(head -> reader.read(through + 1, head))
        .onItem()
        .transformToUni(
            batch ->
                send(batch.entries(), 0)
                    .onItem()
                    .transformToUni(stop -> stop == Stop.FENCED_OUT ? same(stop) : persist(stop))
                    .onItem()
                    .transform(stop -> after(batch, stop)));
  }

  private static Uni<Stop> same(Stop stop) {
    return Uni.createFrom().item(stop);
  }

  /** Sends {@code entries} from index {@code i} on, in order, until one stops the batch. */
  private Uni<Stop> send(List<LaneEntry> entries, int i) {
    if (i == entries.size()) {
      return same(Stop.END);
    }
    if (ports.clock().nowMillis() >= renewAt) {
      return same(Stop.RENEW);
    }
    Plan plan = DeliveryRules.plan(entries.get(i));
    Uni<Stop> one;
    if (plan instanceof Send send) {
      one =
          ports
              .node()
              .sendRawTransaction(send.signedTransaction())
              .onItem()
              .transformToUni(outcome -> settle(DeliveryRules.judge(send, outcome)));
    } else if (plan instanceof Fail fail) {
      one = fail(fail);
    } else {
      through = entries.get(i).sequence();
      one = same(Stop.END);
    }
    return one.onItem()
        .transformToUni(stop -> stop == Stop.END ? send(entries, i + 1) : same(stop));
  }

  private Uni<Stop> settle(Verdict verdict) {
    if (verdict instanceof Delivered d) {
      through = d.sequence();
      attempts = 0;
      return same(Stop.END);
    }
    if (verdict instanceof Retry r) {
      Duration wait = backOff();
      LOG.log(
          System.Logger.Level.WARNING,
          "lane "
              + chain
              + " sequence "
              + r.sequence()
              + " not delivered (attempt "
              + attempts
              + ", again in "
              + wait.toMillis()
              + " ms): "
              + r.why());
      return same(Stop.RETRY);
    }
    return fail((Fail) verdict);
  }

  /** Records DELIVERY_FAILED with the cursor, then tells the status feed. */
  private Uni<Stop> fail(Fail fail) {
    LaneEntry.Issued entry = fail.entry();
    StatusChange change =
        new StatusChange(
            chain,
            entry.preconfirmation().txHash(),
            entry.sequence(),
            Status.DELIVERY_FAILED,
            null,
            fail.reason(),
            ports.clock().nowMillis());
    return ports
        .ledger()
        .markFailed(fence, change)
        .onItem()
        .transformToUni(
            marked -> {
              if (marked == DeliveryLedger.Marked.FENCED_OUT) {
                lost("a later takeover fenced its write out");
                return same(Stop.FENCED_OUT);
              }
              through = entry.sequence();
              persisted = through;
              attempts = 0;
              LOG.log(
                  System.Logger.Level.WARNING,
                  "lane " + chain + " sequence " + through + ": " + fail.reason());
              if (marked == DeliveryLedger.Marked.KEPT_STATUS) {
                return same(Stop.END);
              }
              return ports
                  .statuses()
                  .publish(List.of(change))
                  .onFailure()
                  .invoke(
                      e ->
                          LOG.log(
                              System.Logger.Level.WARNING,
                              "DELIVERY_FAILED of tx "
                                  + change.txHash()
                                  + " is recorded but was not published on the feed",
                              e))
                  .onFailure()
                  .recoverWithNull()
                  .replaceWith(Stop.END);
            });
  }

  private Uni<Stop> persist(Stop stop) {
    return persist().onItem().transform(written -> written == Stop.FENCED_OUT ? written : stop);
  }

  /** Writes the cursor when it moved; FENCED_OUT when a later takeover holds the lane. */
  private Uni<Stop> persist() {
    if (through <= persisted) {
      return same(Stop.END);
    }
    long writing = through;
    return ports
        .ledger()
        .advance(chain, fence, writing)
        .onItem()
        .transform(
            written -> {
              if (written == Write.FENCED_OUT) {
                lost("a later takeover fenced its cursor out");
                return Stop.FENCED_OUT;
              }
              persisted = writing;
              return Stop.END;
            });
  }

  private Duration after(LaneReader.Batch batch, Stop stop) {
    if (fence != 0) {
      lag.delivered(through, waitingSince(batch));
    }
    return switch (stop) {
      case FENCED_OUT, RENEW -> Duration.ZERO;
      case RETRY -> Duration.ofMillis(Math.max(0, retryAt - ports.clock().nowMillis()));
      case END -> batch.more() ? Duration.ZERO : settings.idlePoll();
    };
  }

  /**
   * The receivedAt of the first promise of the batch not delivered; when all were and the lane has
   * more, the last one's (the next is no older); 0 when the lane is delivered through its head.
   */
  private long waitingSince(LaneReader.Batch batch) {
    if (through >= head) {
      waitingSince = 0;
      return 0;
    }
    long last = 0;
    for (LaneEntry e : batch.entries()) {
      if (e instanceof LaneEntry.Issued issued) {
        last = issued.preconfirmation().leaf().receivedAt();
        if (e.sequence() > through) {
          break;
        }
      }
    }
    if (last != 0) {
      waitingSince = last;
    }
    return waitingSince;
  }

  private void lost(String why) {
    if (fence != 0) {
      LOG.log(
          System.Logger.Level.INFO,
          "stopped delivering lane " + chain + " at sequence " + through + ": " + why);
    }
    fence = 0;
    reader = null;
    waitingSince = 0;
    lag.lost();
  }

  private static final LaneReader.Counters NO_COUNTS =
      new LaneReader.Counters() {
        @Override
        public void filledFromArchive(ChainId chain, int entries) {}

        @Override
        public void steppedOver(ChainId chain) {}
      };
}
