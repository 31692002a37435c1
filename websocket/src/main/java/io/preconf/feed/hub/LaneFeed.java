package io.preconf.feed.hub;

import io.preconf.core.feed.CoalescingPump;
import io.preconf.core.feed.FeedSignal;
import io.preconf.core.feed.LaneEntry;
import io.preconf.core.feed.LaneReader;
import io.preconf.core.feed.StatusStream;
import io.preconf.core.types.ChainId;
import io.preconf.wire.FeedMessages;
import io.smallrye.mutiny.Uni;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;

/**
 * One lane on one node: the single reader of the lane's log and status stream, and the fan-out to
 * every subscriber of the lane on this node. However many connections follow a lane, the node reads
 * it once.
 *
 * <p>Entries are dispatched in lane order under this object's lock, which is also what a replay
 * takes to switch to live ({@link #goLive}): a subscriber joins the live set only when its position
 * has reached the lane's, so it gets sequence {@code n + 1} only after {@code n}, with nothing
 * twice.
 */
final class LaneFeed {
  private static final Logger LOG = Logger.getLogger(LaneFeed.class);

  private final ChainId chain;
  private final FeedNode.Backends backends;
  private final FeedNode.Settings settings;
  private final FeedMetrics metrics;
  private final LaneReader reader;

  /**
   * The cursors of the subscribers taking live entries, by the event loop that owns each one's
   * connection; guarded by {@code this}. Each array is replaced, never written, so a dispatch hands
   * a loop the array as it is, with no copy or grouping per entry.
   */
  private final Map<Executor, Subscriber.Cursor[]> live = new IdentityHashMap<>();

  /** A subscriber left since the live set was last pruned of closed ones. */
  private volatile boolean left;

  /** Every subscriber of the lane, replaying or live: they all get status changes. */
  private final Set<Subscriber> all = ConcurrentHashMap.newKeySet();

  /** Reads the log past {@link #position}, one read at a time however often asked. */
  private final CoalescingPump logPump = new CoalescingPump(this::readLog);

  /** Reads the status stream past {@link #statusCursor}, likewise. */
  private final CoalescingPump statusPump = new CoalescingPump(this::readStatus);

  /** Last sequence dispatched or stepped over. */
  private volatile long position;

  /** Highest sequence seen in the lane's log: where the wake-up waits from. */
  private volatile long logSeen;

  private volatile String statusCursor;
  private volatile boolean started;

  LaneFeed(
      ChainId chain, FeedNode.Backends backends, FeedNode.Settings settings, FeedMetrics metrics) {
    this.chain = chain;
    this.backends = backends;
    this.settings = settings;
    this.metrics = metrics;
    this.reader = newReader();
    metrics.lanePosition(chain, () -> position);
  }

  ChainId chain() {
    return chain;
  }

  long position() {
    return position;
  }

  boolean started() {
    return started;
  }

  LaneReader newReader() {
    return new LaneReader(
        chain,
        backends.log(),
        backends.archive(),
        settings.batchSize(),
        settings.gapSettle(),
        backends.clock(),
        metrics);
  }

  /**
   * Starts at the log's head and the status stream's newest change: live from now on. A log with no
   * head (a fresh or wiped log) starts at the last sequence the archive holds, so that live
   * subscribers are not handed the lane's history when the log resumes past a gap.
   */
  Uni<Void> start() {
    Uni<Long> startAt =
        backends
            .log()
            .head(chain)
            .onItem()
            .transformToUni(
                h -> h > 0 ? Uni.createFrom().item(h) : backends.archive().lastSequence(chain));
    return Uni.combine()
        .all()
        .unis(startAt, backends.statuses().newest(chain))
        .with(
            (head, newestStatus) -> {
              synchronized (this) {
                position = head;
                logSeen = head;
                statusCursor = newestStatus;
                started = true;
              }
              LOG.infof("lane %s: live from sequence %d", chain, head + 1);
              return null;
            });
  }

  /** Where the wake-up waits from for this lane. */
  FeedSignal.Watch watch() {
    return new FeedSignal.Watch(chain, logSeen, statusCursor);
  }

  // ---------------------------------------------------------------- subscribers

  void subscribe(Subscriber s, OptionalLong from) {
    all.add(s);
    if (from.isEmpty()) {
      synchronized (this) {
        s.startAt(chain, position);
        goLiveNow(s);
      }
      return;
    }
    s.startAt(chain, from.getAsLong() - 1);
    new CatchUp(this, s, newReader(), backends.vertx(), settings.retryDelay(), metrics).next();
  }

  /**
   * Forgets a closed subscriber. The live set drops it at its next dispatch (it is closed, so it
   * takes nothing meanwhile): this may run inside a dispatch, when a send finds it too slow, so it
   * takes no lock.
   */
  void unsubscribe(Subscriber s) {
    all.remove(s);
    left = true;
  }

  /** Joins {@code s} to the live set if its replay has reached the lane; false to read on. */
  synchronized boolean goLive(Subscriber s) {
    if (s.isClosed()) {
      return true;
    }
    if (s.position(chain) < position) {
      return false;
    }
    goLiveNow(s);
    return true;
  }

  /** Adds {@code s} to the live set; the caller holds the lock. */
  private void goLiveNow(Subscriber s) {
    Subscriber.Cursor[] cursors = live.getOrDefault(s.loop(), new Subscriber.Cursor[0]);
    Subscriber.Cursor[] more = Arrays.copyOf(cursors, cursors.length + 1);
    more[cursors.length] = s.cursor(chain);
    live.put(s.loop(), more);
  }

  /** Drops closed subscribers from the live set. */
  private void pruneLive() {
    left = false;
    live.replaceAll(
        (loop, cursors) ->
            Arrays.stream(cursors)
                .filter(c -> !c.subscriber().isClosed())
                .toArray(Subscriber.Cursor[]::new));
    live.values().removeIf(cursors -> cursors.length == 0);
  }

  // ---------------------------------------------------------------- the lane's log

  /** Reads and dispatches whatever the log holds past the lane's position. */
  void pump() {
    if (started) {
      logPump.request();
    }
  }

  /**
   * Dispatches the entries the node's wake-up brought for this lane, without reading them again,
   * when they continue the lane; otherwise reads as {@link #pump} does.
   */
  void pump(FeedSignal.LogNews news) {
    if (!started || !logPump.take()) {
      return;
    }
    LaneReader.Batch batch;
    try {
      batch = reader.fromLog(position + 1, news);
    } catch (RuntimeException e) {
      batch = null; // the lane's own read reports what is wrong with the log
    }
    if (batch == null) {
      readLog();
      return;
    }
    handOver(batch, "wake");
  }

  private void readLog() {
    reader
        .read(position + 1, 0)
        .subscribe()
        .with(
            batch -> handOver(batch, "read"),
            failure -> {
              metrics.backendFailure("lane");
              LOG.warnf("lane %s: reading the feed log failed: %s", chain, failure.getMessage());
              logPump.failed();
              backends.vertx().setTimer(settings.pollInterval().toMillis(), id -> pump());
            });
  }

  /** Dispatches a batch, then reads on when more is there or a missing sequence is awaited. */
  private void handOver(LaneReader.Batch batch, String via) {
    boolean again = batch.more();
    try {
      dispatch(batch);
      metrics.dispatched(chain, via, batch.entries().size());
    } catch (RuntimeException e) {
      // A bug; positions make the retry safe: nobody gets an entry twice.
      LOG.errorf(e, "lane %s: dispatching failed", chain);
      again = true;
    }
    if (!logPump.finished(again) && batch.waitingOn() > 0) {
      backends.vertx().setTimer(settings.retryDelay().toMillis(), id -> pump());
    }
  }

  /**
   * Hands a batch to the live subscribers: the frames are built once, then each event loop gets one
   * task that gives the batch to its connections in order, through their cursors. The lane's
   * position moves at once, so a replay switching over after this point starts after the batch;
   * each subscriber's own position moves when its loop runs the task, which is what keeps its
   * deliveries in order.
   */
  private synchronized void dispatch(LaneReader.Batch batch) {
    List<LaneEntry> entries = batch.entries();
    Frame[] messages = new Frame[entries.size()];
    if (!live.isEmpty()) {
      for (int i = 0; i < messages.length; i++) {
        if (entries.get(i) instanceof LaneEntry.Issued issued) {
          messages[i] = Frame.text(FeedMessages.preconfirmation(issued.preconfirmation()));
        }
      }
    }
    if (batch.through() > position) {
      position = batch.through();
    }
    if (batch.logSeen() > logSeen) {
      logSeen = batch.logSeen();
    }
    if (left) {
      pruneLive();
    }
    long through = position;
    live.forEach(
        (loop, cursors) ->
            loop.execute(
                () -> {
                  for (Subscriber.Cursor c : cursors) {
                    for (int i = 0; i < messages.length; i++) {
                      c.deliver(entries.get(i), messages[i]);
                    }
                    c.coverThrough(through);
                  }
                }));
  }

  // ---------------------------------------------------------------- status changes

  /** Relays status changes newer than the last one relayed. */
  void pumpStatus() {
    if (started) {
      statusPump.request();
    }
  }

  private void readStatus() {
    backends
        .statuses()
        .readAfter(chain, statusCursor, settings.batchSize())
        .subscribe()
        .with(
            batch -> {
              try {
                relay(batch);
              } catch (RuntimeException e) {
                LOG.errorf(e, "lane %s: relaying status changes failed", chain); // a bug
              }
              statusCursor = batch.next();
              statusPump.finished(batch.full());
            },
            failure -> {
              metrics.backendFailure("status");
              LOG.warnf("lane %s: reading status changes failed: %s", chain, failure.getMessage());
              statusPump.failed();
              backends.vertx().setTimer(settings.pollInterval().toMillis(), id -> pumpStatus());
            });
  }

  /**
   * Sends each change to the lane's subscribers that follow every sender, or its transaction's
   * sender.
   */
  private void relay(StatusStream.Batch batch) {
    for (StatusStream.Change change : batch.changes()) {
      Frame message = Frame.text(FeedMessages.status(change.data()));
      for (Subscriber s : all) {
        if (s.subscription().senders().isEmpty()
            || change.sender() != null && s.wants(change.sender())) {
          s.offer(message);
        }
      }
    }
  }

  // ---------------------------------------------------------------- stopping

  Set<Subscriber> subscribers() {
    return all;
  }
}
