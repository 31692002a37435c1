package io.preconf.feed.hub;

import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.types.Address;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.preconf.infra.redis.RedisFeedLog.Entry;
import io.preconf.infra.redis.RedisStatusLog;
import io.preconf.wire.FeedMessages;
import io.preconf.wire.StatusChangeCodec;
import io.preconf.wire.WireFormatException;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
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
  private static final int SENDERS_REMEMBERED = 65_536;

  private final ChainId chain;
  private final FeedNode.Backends backends;
  private final FeedNode.Settings settings;
  private final FeedMetrics metrics;
  private final LaneReader reader;

  /** Subscribers taking live entries; guarded by {@code this}. */
  private final List<Subscriber> live = new ArrayList<>();

  /** Every subscriber of the lane, replaying or live: they all get status changes. */
  private final Set<Subscriber> all = ConcurrentHashMap.newKeySet();

  private final AtomicBoolean pumping = new AtomicBoolean();
  private final AtomicBoolean pumpAgain = new AtomicBoolean();
  private final AtomicBoolean pumpingStatus = new AtomicBoolean();
  private final AtomicBoolean pumpStatusAgain = new AtomicBoolean();

  /** Last sequence dispatched or stepped over. */
  private volatile long position;

  /** Highest sequence seen in the Redis log: where the wake-up read waits from. */
  private volatile long logSeen;

  private volatile String statusId;
  private volatile boolean started;

  /** txHash -> sender of recent entries, so that status changes can be filtered by sender. */
  private final Map<Hash32, Address> senders =
      new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Hash32, Address> eldest) {
          return size() > SENDERS_REMEMBERED;
        }
      };

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
        backends.pgLog(),
        settings.batchSize(),
        settings.gapSettle(),
        backends.clock(),
        metrics);
  }

  /**
   * Starts at the log's head and the status stream's newest entry: live from now on. A log with no
   * head (a fresh or wiped Redis) starts at the last sequence PostgreSQL holds, so that live
   * subscribers are not handed the lane's history when the log resumes past a gap.
   */
  Uni<Void> start() {
    Uni<Long> startAt =
        backends
            .log()
            .head(chain)
            .onItem()
            .transformToUni(
                h -> h > 0 ? Uni.createFrom().item(h) : backends.pgLog().lastSequence(chain));
    return Uni.combine()
        .all()
        .unis(startAt, backends.statuses().lastId(chain))
        .with(
            (head, lastStatus) -> {
              synchronized (this) {
                position = head;
                logSeen = head;
                statusId = lastStatus;
                started = true;
              }
              LOG.infof("lane %s: live from sequence %d", chain, head + 1);
              return null;
            });
  }

  String feedKey() {
    return backends.keys().feed(chain);
  }

  String statusKey() {
    return backends.keys().statusFeed(chain);
  }

  /** The stream IDs after which news would wake this lane. */
  String feedWaitId() {
    return logSeen + "-0";
  }

  String statusWaitId() {
    return statusId;
  }

  // ---------------------------------------------------------------- subscribers

  void subscribe(Subscriber s, OptionalLong from) {
    all.add(s);
    if (from.isEmpty()) {
      synchronized (this) {
        s.startAt(chain, position);
        live.add(s);
      }
      return;
    }
    s.startAt(chain, from.getAsLong() - 1);
    new CatchUp(this, s, newReader(), backends.vertx(), settings.retryDelay(), metrics).next();
  }

  /**
   * Forgets a closed subscriber. The live set drops it at its next dispatch (it is closed, so it
   * takes nothing meanwhile): this may run inside a dispatch, when a send finds it too slow.
   */
  void unsubscribe(Subscriber s) {
    all.remove(s);
  }

  /** Joins {@code s} to the live set if its replay has reached the lane; false to read on. */
  synchronized boolean goLive(Subscriber s) {
    if (s.isClosed()) {
      return true;
    }
    if (s.position(chain) < position) {
      return false;
    }
    live.add(s);
    return true;
  }

  // ---------------------------------------------------------------- the lane's log

  /** Reads and dispatches whatever the log holds past the lane's position. */
  void pump() {
    if (!started) {
      return;
    }
    if (!pumping.compareAndSet(false, true)) {
      pumpAgain.set(true);
      return;
    }
    pumpAgain.set(false);
    reader
        .read(position + 1, 0)
        .subscribe()
        .with(
            batch -> handOver(batch, "read"),
            failure -> {
              metrics.backendFailure("lane");
              LOG.warnf("lane %s: reading the feed log failed: %s", chain, failure.getMessage());
              pumping.set(false);
              backends.vertx().setTimer(settings.pollInterval().toMillis(), id -> pump());
            });
  }

  /**
   * Dispatches the entries the node's blocking read brought for this lane, without reading them
   * again, when they continue the lane; otherwise reads as {@link #pump} does.
   */
  void pump(List<Entry> woken) {
    if (!started) {
      return;
    }
    if (!pumping.compareAndSet(false, true)) {
      pumpAgain.set(true);
      return;
    }
    pumpAgain.set(false);
    LaneReader.Batch batch = reader.fromLog(position + 1, woken);
    if (batch == null) {
      pumping.set(false);
      pump();
      return;
    }
    handOver(batch, "wake");
  }

  /** Dispatches a batch, then reads on when more is there or a missing sequence is awaited. */
  private void handOver(LaneReader.Batch batch, String via) {
    try {
      dispatch(batch);
      metrics.dispatched(chain, via, batch.entries().size());
    } catch (RuntimeException e) {
      // A bug; positions make the retry safe: nobody gets an entry twice.
      LOG.errorf(e, "lane %s: dispatching failed", chain);
      pumpAgain.set(true);
    }
    pumping.set(false);
    if (batch.more() || pumpAgain.get()) {
      pump();
    } else if (batch.waitingOn() > 0) {
      backends.vertx().setTimer(settings.retryDelay().toMillis(), id -> pump());
    }
  }

  /**
   * Hands a batch to the live subscribers: the frames are built once, then each event loop gets one
   * task that gives the batch to its connections in order. The lane's position moves at once, so a
   * replay switching over after this point starts after the batch; each subscriber's own position
   * moves when its loop runs the task, which is what keeps its deliveries in order.
   */
  private synchronized void dispatch(LaneReader.Batch batch) {
    List<Entry> entries = batch.entries();
    Frame[] messages = new Frame[entries.size()];
    boolean anyone = !live.isEmpty();
    for (int i = 0; i < messages.length; i++) {
      if (entries.get(i) instanceof Entry.Issued issued) {
        Preconfirmation p = issued.preconfirmation();
        synchronized (senders) {
          senders.put(p.leaf().txHash(), p.leaf().sender());
        }
        if (anyone) {
          messages[i] = Frame.text(FeedMessages.preconfirmation(p));
        }
      }
    }
    if (batch.through() > position) {
      position = batch.through();
    }
    if (batch.logSeen() > logSeen) {
      logSeen = batch.logSeen();
    }
    live.removeIf(Subscriber::isClosed);
    long through = position;
    Map<Executor, List<Subscriber>> byLoop = new IdentityHashMap<>();
    for (Subscriber s : live) {
      byLoop.computeIfAbsent(s.loop(), l -> new ArrayList<>()).add(s);
    }
    byLoop.forEach(
        (loop, subscribers) ->
            loop.execute(
                () -> {
                  for (Subscriber s : subscribers) {
                    for (int i = 0; i < messages.length; i++) {
                      s.deliver(chain, entries.get(i), messages[i]);
                    }
                    s.coverThrough(chain, through);
                  }
                }));
  }

  // ---------------------------------------------------------------- status changes

  /** Relays status changes newer than the last one relayed. */
  void pumpStatus() {
    if (!started) {
      return;
    }
    if (!pumpingStatus.compareAndSet(false, true)) {
      pumpStatusAgain.set(true);
      return;
    }
    pumpStatusAgain.set(false);
    backends
        .statuses()
        .readAfter(chain, statusId, settings.batchSize())
        .onItem()
        .transformToUni(this::withSenders)
        .subscribe()
        .with(
            relayed -> {
              pumpingStatus.set(false);
              if (relayed >= settings.batchSize() || pumpStatusAgain.get()) {
                pumpStatus();
              }
            },
            failure -> {
              metrics.backendFailure("status");
              LOG.warnf("lane %s: reading status changes failed: %s", chain, failure.getMessage());
              pumpingStatus.set(false);
              backends.vertx().setTimer(settings.pollInterval().toMillis(), id -> pumpStatus());
            });
  }

  /** Finds the sender of each change when some subscriber filters by sender, then relays. */
  private Uni<Integer> withSenders(List<RedisStatusLog.Entry> entries) {
    if (entries.isEmpty()) {
      return Uni.createFrom().item(0);
    }
    boolean filtered = all.stream().anyMatch(s -> !s.subscription().senders().isEmpty());
    Map<String, Hash32> txOf = new HashMap<>();
    Map<Hash32, Address> known = new HashMap<>();
    List<Uni<Void>> lookups = new ArrayList<>();
    if (filtered) {
      for (RedisStatusLog.Entry e : entries) {
        Hash32 tx = txHash(e.json());
        if (tx == null) {
          continue;
        }
        txOf.put(e.id(), tx);
        Address sender;
        synchronized (senders) {
          sender = senders.get(tx);
        }
        if (sender != null) {
          known.put(tx, sender);
        } else if (!known.containsKey(tx)) {
          known.put(tx, null);
          lookups.add(
              backends
                  .pgFind()
                  .find(chain, tx)
                  .onItem()
                  .invoke(
                      found ->
                          found.ifPresent(
                              p -> {
                                synchronized (known) {
                                  known.put(tx, p.leaf().sender());
                                }
                              }))
                  .replaceWithVoid());
        }
      }
    }
    Uni<Void> resolved =
        lookups.isEmpty()
            ? Uni.createFrom().voidItem()
            : Uni.combine().all().unis(lookups).discardItems();
    return resolved
        .onItem()
        .transform(
            ignored -> {
              for (RedisStatusLog.Entry e : entries) {
                relay(e, known.get(txOf.get(e.id())));
                statusId = e.id();
              }
              return entries.size();
            });
  }

  private void relay(RedisStatusLog.Entry e, Address sender) {
    if (e.json() == null) {
      return;
    }
    Frame message = Frame.text(FeedMessages.status(e.json()));
    for (Subscriber s : all) {
      if (s.subscription().senders().isEmpty() || sender != null && s.wants(sender)) {
        s.offer(message);
      }
    }
  }

  private static Hash32 txHash(String json) {
    try {
      return json == null ? null : StatusChangeCodec.txHash(json);
    } catch (WireFormatException e) {
      return null;
    }
  }

  // ---------------------------------------------------------------- stopping

  Set<Subscriber> subscribers() {
    return all;
  }
}
