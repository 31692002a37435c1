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
import java.util.function.Consumer;
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
 *
 * <p>A lane nobody on this node follows is not read at all: the node leaves it out of its wait, and
 * its position falls behind the log. So a subscriber never starts from the lane's position alone:
 * it joins at a read of the log's head made while its connection's handshake was going on ({@link
 * #head}, {@link #subscribe}), which is before its client could publish anything it expects to see
 * and after anything published before it connected.
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

  /** Whether the node's wait in progress watches this lane. */
  private volatile boolean watched;

  /** Told when subscribers have joined, so that the node reads the lane for them. */
  private final Consumer<LaneFeed> followed;

  LaneFeed(
      ChainId chain,
      FeedNode.Backends backends,
      FeedNode.Settings settings,
      FeedMetrics metrics,
      Consumer<LaneFeed> followed) {
    this.chain = chain;
    this.backends = backends;
    this.settings = settings;
    this.metrics = metrics;
    this.followed = followed;
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

  /** Whether the node's next wait watches this lane: while someone on this node follows it. */
  boolean watchedNext() {
    boolean next = started && !all.isEmpty();
    if (next != watched) {
      LOG.debugf("lane %s: %s the node's wait at %d", chain, next ? "in" : "out of", position);
    }
    watched = next;
    return watched;
  }

  /**
   * Whether the node's newest wait watches this lane; when a subscriber joins a lane it leaves out,
   * the node starts a new wait at once.
   */
  boolean watched() {
    return watched;
  }

  /**
   * Moves the position of a lane nobody follows up to the log's head, as a cheap read tells it
   * (what the position gauge shows), instead of reading its entries for nobody.
   */
  Uni<Void> peekHead() {
    return backends
        .log()
        .head(chain)
        .invoke(
            h -> {
              synchronized (this) {
                if (all.isEmpty()) {
                  skipTo(h);
                }
              }
            })
        .replaceWithVoid();
  }

  /**
   * Moves the lane up to {@code head} without dispatching what lies before it; only while nobody on
   * this node takes the lane's frames, so that nobody misses what is skipped. The caller holds the
   * lock.
   */
  private void skipTo(long head) {
    if (head > position) {
      position = head;
    }
    if (head > logSeen) {
      logSeen = head;
    }
  }

  /** Where the wake-up waits from for this lane. */
  FeedSignal.Watch watch() {
    return new FeedSignal.Watch(chain, logSeen, statusCursor);
  }

  // ---------------------------------------------------------------- subscribers

  /**
   * Where the lane's log and status stream stood at a read made while a connection's handshake was
   * going on, before the client was told it is connected: a live subscriber starts there.
   */
  record Head(long log, String status) {}

  /** Reads the lane's head for a connection about to join ({@link #subscribe}). */
  Uni<Head> head() {
    return Uni.combine()
        .all()
        .unis(backends.log().head(chain), backends.statuses().newest(chain))
        .with(Head::new);
  }

  /**
   * Adds a subscriber: a live one starts at {@code head}, read before its client learnt it was
   * connected, so that it gets everything published after that read and nothing before it, whether
   * or not anyone on this node was reading the lane; a resuming one replays from {@code from}. When
   * nobody on this node takes the lane's frames, the lane moves up to that head and that change
   * first: nobody needs what it skips. A live subscriber also replays when the lane has already
   * dispatched past its head (someone else on this node reads the lane, and it moved on since).
   */
  void subscribe(Subscriber s, OptionalLong from, Head head) {
    boolean replay;
    synchronized (this) {
      if (all.isEmpty()) {
        skipTo(head.log());
        statusCursor = head.status();
      }
      long after = from.isPresent() ? from.getAsLong() - 1 : head.log();
      s.startAt(chain, after);
      all.add(s);
      replay = from.isPresent() || after < position;
      if (!replay) {
        goLiveNow(s);
      }
      LOG.debugf(
          "lane %s: a subscriber joins after %d (%s), lane at %d, %d on the lane",
          chain, after, replay ? "replaying" : "live", position, all.size());
    }
    if (replay) {
      new CatchUp(this, s, newReader(), backends.vertx(), settings.retryDelay(), metrics).next();
    }
    followed.accept(this);
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

  /**
   * Reads and relays the changes after the status cursor. A batch read from a cursor that {@link
   * #subscribe} has moved on meanwhile is from before a subscriber's join: it is dropped and the
   * read made again from the new cursor.
   */
  private void readStatus() {
    String after = statusCursor;
    backends
        .statuses()
        .readAfter(chain, after, settings.batchSize())
        .subscribe()
        .with(
            batch -> {
              boolean current;
              synchronized (this) {
                // The same object unless subscribe replaced it: only this read and subscribe set
                // it.
                current = after == statusCursor;
                if (current) {
                  try {
                    relay(batch);
                  } catch (RuntimeException e) {
                    LOG.errorf(e, "lane %s: relaying status changes failed", chain); // a bug
                  }
                  statusCursor = batch.next();
                }
              }
              statusPump.finished(batch.full() || !current);
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
