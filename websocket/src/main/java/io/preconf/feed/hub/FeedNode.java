package io.preconf.feed.hub;

import io.preconf.core.error.Result;
import io.preconf.core.feed.FeedSignal;
import io.preconf.core.feed.LaneArchive;
import io.preconf.core.feed.LaneLog;
import io.preconf.core.feed.StatusStream;
import io.preconf.core.port.Clock;
import io.preconf.core.types.ChainId;
import io.preconf.feed.request.QueryParams;
import io.preconf.feed.request.Refusal;
import io.preconf.feed.request.Subscription;
import io.preconf.feed.request.SubscriptionRequest;
import io.preconf.wire.FeedMessages;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * One feed node: a {@link LaneFeed} per served chain (the only readers of the lanes on this node),
 * the open subscribers, their limits, heartbeats, and one wait ({@link FeedSignal}) that wakes the
 * lanes when their logs or status streams move.
 *
 * <p>A node keeps no state another node needs: it reads the shared lane logs and archive only, so
 * any number of nodes can serve the same feed, and a subscriber can resume on any of them with
 * {@code from}.
 */
public final class FeedNode {
  private static final Logger LOG = Logger.getLogger(FeedNode.class);

  /** An API key, its name (for limits and metrics) and how many connections it may hold. */
  public record ApiKeyLimit(String name, String key, int maxConnections) {}

  /** The node's knobs; see {@code FeedConfig} for each. */
  public record Settings(
      Duration heartbeatInterval,
      int bufferSize,
      int maxConnectionsPerAddress,
      int maxConnections,
      boolean requireApiKey,
      List<ApiKeyLimit> apiKeys,
      Duration pollInterval,
      int batchSize,
      Duration gapSettle) {
    public Settings {
      apiKeys = List.copyOf(apiKeys);
      if (bufferSize < 2) {
        throw new IllegalArgumentException("bufferSize must be 2 or more, got " + bufferSize);
      }
      if (batchSize < 1) {
        throw new IllegalArgumentException("batchSize must be 1 or more, got " + batchSize);
      }
    }

    /** How soon a lane looks again at a sequence it is waiting for. */
    Duration retryDelay() {
      return Duration.ofMillis(Math.min(200, pollInterval.toMillis()));
    }
  }

  /** What the node reads through, and the Vert.x instance whose timers pace it. */
  public record Backends(
      Vertx vertx,
      LaneLog log,
      LaneArchive archive,
      StatusStream statuses,
      FeedSignal signal,
      Clock clock) {}

  private final List<ChainId> chains;
  private final Backends backends;
  private final Settings settings;
  private final FeedMetrics metrics;
  private final Map<ChainId, LaneFeed> lanes = new LinkedHashMap<>();
  private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
  private final ConnectionLimits limits;

  /** How long one wait for news lasts: the poll interval, within half the backend's timeout. */
  private final Duration block;

  private volatile boolean running;
  private volatile long lastRound;

  /** Set while the node waits on a timer because nobody follows any lane; see {@link #idle}. */
  private final AtomicBoolean sleeping = new AtomicBoolean();

  /**
   * Counts the node's waits: only the newest goes on to the next when it ends. A lane that gains a
   * follower during a wait that leaves it out starts a new one at once ({@link #followed}); the
   * older one still hands over what it brings, then stops.
   */
  private long round;

  private long heartbeatTimer = -1;
  private long advanceTimer = -1;

  public FeedNode(List<ChainId> chains, Backends backends, Settings settings, FeedMetrics metrics) {
    if (chains.isEmpty()) {
      throw new IllegalArgumentException("a feed node serves at least one chain");
    }
    this.chains = List.copyOf(chains);
    this.backends = backends;
    this.settings = settings;
    this.metrics = metrics;
    this.limits = new ConnectionLimits(settings);
    this.block =
        Duration.ofMillis(
            Math.max(
                1,
                Math.min(
                    settings.pollInterval().toMillis(),
                    backends.signal().timeout().toMillis() / 2)));
    for (ChainId chain : chains) {
      lanes.put(chain, new LaneFeed(chain, backends, settings, metrics, this::followed));
    }
    metrics.connections(this);
  }

  public List<ChainId> chains() {
    return chains;
  }

  public int connections() {
    return subscribers.size();
  }

  /** The last sequence this node dispatched on a lane. */
  public long position(ChainId chain) {
    return lanes.get(chain).position();
  }

  /**
   * Whether the node reads the lane now: someone on it follows the lane. A lane nobody follows is
   * left unread until its next subscriber.
   */
  public boolean reads(ChainId chain) {
    return lanes.get(chain).watched();
  }

  /** Started, every lane live, and the wake-up read answered lately. */
  public boolean ready() {
    long quiet = backends.clock().nowMillis() - lastRound;
    return running
        && lanes.values().stream().allMatch(LaneFeed::started)
        && quiet < 2 * block.toMillis() + backends.signal().timeout().toMillis();
  }

  // ---------------------------------------------------------------- lifecycle

  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    lastRound = backends.clock().nowMillis();
    for (LaneFeed lane : lanes.values()) {
      startLane(lane);
    }
    heartbeatTimer =
        backends.vertx().setPeriodic(settings.heartbeatInterval().toMillis(), id -> heartbeat());
    advanceTimer =
        backends.vertx().setPeriodic(settings.pollInterval().toMillis(), id -> advanceStalled());
    wake();
  }

  /** Stops reading and closes every subscriber with 1001 and where to resume. */
  public synchronized void stop() {
    running = false;
    backends.vertx().cancelTimer(heartbeatTimer);
    backends.vertx().cancelTimer(advanceTimer);
    for (Subscriber s : List.copyOf(subscribers)) {
      s.cut(Subscriber.GOING_AWAY, "feed node shutting down; " + s.resumeHint());
    }
  }

  private void startLane(LaneFeed lane) {
    if (!running) {
      return;
    }
    lane.start()
        .subscribe()
        .with(
            ignored -> {
              lane.pump();
              lane.pumpStatus();
              if (!lane.subscribers().isEmpty()) {
                followed(lane); // followed while it was starting: the wait in progress left it out
              }
            },
            failure -> {
              metrics.backendFailure("start");
              LOG.warnf("lane %s: cannot start, retrying: %s", lane.chain(), failure.getMessage());
              backends.vertx().setTimer(settings.pollInterval().toMillis(), id -> startLane(lane));
            });
  }

  // ---------------------------------------------------------------- connections

  /**
   * Where each lane a connection asks for stood while its handshake was going on: read before the
   * client is told it is connected, handed back to {@link #open}. Opaque outside the node.
   */
  public static final class Heads {
    private static final Heads NONE = new Heads(Map.of());

    private final Map<ChainId, LaneFeed.Head> byChain;

    private Heads(Map<ChainId, LaneFeed.Head> byChain) {
      this.byChain = byChain;
    }
  }

  /**
   * Reads the head of each lane a connection's query asks for; to be called before its handshake
   * completes, so that a live subscription starts no later than its client's first chance to
   * publish (spec section 7). A query {@link #open} will refuse needs no read.
   */
  public Uni<Heads> heads(String query) {
    Result<Subscription> parsed = SubscriptionRequest.parse(QueryParams.parse(query), chains);
    if (!parsed.isOk()) {
      return Uni.createFrom().item(Heads.NONE);
    }
    List<ChainId> asked = parsed.value().chains();
    return Uni.join()
        .all(asked.stream().map(chain -> lanes.get(chain).head()).toList())
        .andFailFast()
        .onItem()
        .transform(
            read -> {
              Map<ChainId, LaneFeed.Head> byChain = new LinkedHashMap<>();
              for (int i = 0; i < asked.size(); i++) {
                byChain.put(asked.get(i), read.get(i));
              }
              return new Heads(byChain);
            })
        .onFailure()
        .invoke(
            failure -> {
              metrics.backendFailure("head");
              LOG.warnf("reading the heads of %s for a connection failed: %s", asked, failure);
            });
  }

  /**
   * Takes a new connection: checks its parameters, its key and its limits, and subscribes it to its
   * lanes at {@code heads} (what {@link #heads} read during its handshake, null when that failed);
   * or sends an error frame and closes it. Returns null when refused.
   */
  public Subscriber open(Outlet outlet, Handshake handshake, Heads heads) {
    QueryParams query = QueryParams.parse(handshake.query());
    Result<Subscription> parsed = SubscriptionRequest.parse(query, chains);
    if (!parsed.isOk()) {
      refuse(outlet, Refusal.of(parsed.rejection()));
      return null;
    }
    String apiKey = handshake.apiKeyHeader();
    if (apiKey == null && !query.all("apiKey").isEmpty()) {
      apiKey = query.all("apiKey").get(0);
    }
    ConnectionLimits.Admission admission = limits.acquire(handshake.clientAddress(), apiKey);
    if (admission.refusal() != null) {
      refuse(outlet, admission.refusal());
      return null;
    }
    Subscription subscription = parsed.value();
    for (ChainId chain : subscription.chains()) {
      if (heads == null || !heads.byChain.containsKey(chain)) {
        limits.release(admission.ticket());
        refuse(
            outlet,
            Refusal.backendUnavailable(
                "the feed could not read the head of lane "
                    + chain
                    + "; connect again"
                    + (subscription.from().isPresent()
                        ? " with from=" + subscription.from().getAsLong()
                        : "")));
        return null;
      }
    }
    Subscriber s = new Subscriber(outlet, subscription, settings.bufferSize(), this::cutByFeed);
    s.ticket(admission.ticket());
    subscribers.add(s);
    for (ChainId chain : subscription.chains()) {
      lanes.get(chain).subscribe(s, subscription.from(), heads.byChain.get(chain));
    }
    return s;
  }

  /** The connection is closed (by the peer, or after the feed closed it). */
  public void closed(Subscriber s) {
    s.markClosed();
    remove(s);
  }

  private void cutByFeed(Subscriber s, int code) {
    if (code == Subscriber.TOO_SLOW) {
      metrics.cut("too_slow");
    }
    remove(s);
  }

  private void remove(Subscriber s) {
    if (subscribers.remove(s)) {
      limits.release((ConnectionLimits.Ticket) s.ticket());
      for (ChainId chain : s.subscription().chains()) {
        lanes.get(chain).unsubscribe(s);
      }
    }
  }

  /**
   * Sends a refusal's error frame, then closes with its code. {@link #open} refuses this way; so
   * does the transport for a connection it cannot hand to {@link #open}, such as one whose request
   * target is not a valid URI.
   */
  public void refuse(Outlet outlet, Refusal refusal) {
    metrics.refused(refusal.reason());
    Subscriber.sendThenClose(
        outlet,
        Frame.text(FeedMessages.error(refusal.code(), refusal.reason(), refusal.message())),
        refusal.closeCode(),
        refusal.closeReason());
  }

  private void heartbeat() {
    Frame beat = Frame.text(FeedMessages.heartbeat(backends.clock().nowMillis()));
    for (Subscriber s : subscribers) {
      s.offer(beat);
    }
  }

  // ---------------------------------------------------------------- waking the lanes

  /**
   * One wait over the log and status stream of every lane someone on this node follows, from what
   * each lane has seen: it answers as soon as any of them moves, and the lanes that moved read on.
   * When it times out, every lane looks once anyway, which also retries anything that failed
   * quietly. A lane nobody follows is left out: its entries would be read and decoded for nobody.
   */
  private void wake() {
    if (!running) {
      return;
    }
    List<LaneFeed> started = new ArrayList<>(lanes.size());
    List<LaneFeed> watched = new ArrayList<>(lanes.size());
    List<FeedSignal.Watch> watches = new ArrayList<>(lanes.size());
    long mine;
    // Under the lock, so that the newest wait is also the one whose lanes watched() tells.
    synchronized (this) {
      mine = ++round;
      for (LaneFeed lane : lanes.values()) {
        if (lane.started()) {
          started.add(lane);
        }
        if (lane.watchedNext()) {
          watched.add(lane);
          watches.add(lane.watch());
        }
      }
    }
    if (started.isEmpty()) {
      backends.vertx().setTimer(settings.retryDelay().toMillis(), id -> wakeIfNewest(mine));
      return;
    }
    if (watched.isEmpty()) {
      idle(started, mine);
      return;
    }
    // The answer carries the new entries themselves, up to a batch per log: a lane whose entries
    // continue where it stands dispatches them at once instead of reading them again.
    backends
        .signal()
        .await(watches, settings.batchSize(), block)
        .subscribe()
        .with(
            moved -> {
              lastRound = backends.clock().nowMillis();
              if (moved.isEmpty()) {
                for (LaneFeed lane : watched) {
                  lane.pump();
                  lane.pumpStatus();
                }
              } else {
                for (FeedSignal.Moved m : moved) {
                  LaneFeed lane = watched.get(m.watch());
                  if (m instanceof FeedSignal.Moved.Log log) {
                    lane.pump(log.news());
                  } else {
                    lane.pumpStatus();
                  }
                }
              }
              wakeIfNewest(mine);
            },
            failure -> {
              if (!running) {
                return; // stopping: the client was closed under the pending wait
              }
              metrics.backendFailure("wait");
              LOG.warnf("waiting on the feed streams failed: %s", failure.getMessage());
              backends
                  .vertx()
                  .setTimer(settings.pollInterval().toMillis(), id -> wakeIfNewest(mine));
            });
  }

  /** Waits again after wait {@code mine}, unless a newer wait has started since. */
  private void wakeIfNewest(long mine) {
    boolean newest;
    synchronized (this) {
      newest = mine == round;
    }
    if (newest) {
      wake();
    }
  }

  /**
   * Nobody follows any lane: instead of a wait, one cheap read of each lane's head per wait's
   * length (which keeps readiness and the position gauges true), then a timer that a lane cuts
   * short when someone follows it again ({@link #followed}).
   */
  private void idle(List<LaneFeed> started, long mine) {
    Uni.join()
        .all(started.stream().map(LaneFeed::peekHead).toList())
        .andFailFast()
        .subscribe()
        .with(
            ignored -> {
              lastRound = backends.clock().nowMillis();
              sleep(block, mine);
            },
            failure -> {
              metrics.backendFailure("wait");
              LOG.warnf("reading the feed heads failed: %s", failure.getMessage());
              sleep(settings.pollInterval(), mine);
            });
  }

  /**
   * Sleeps for {@code length}, or not at all when someone followed a lane while the heads were
   * read: that lane's {@link #followed} came before there was a sleep to cut short. Not when a
   * newer wait has started meanwhile: that one goes on instead.
   */
  private void sleep(Duration length, long mine) {
    synchronized (this) {
      if (mine != round) {
        return;
      }
      sleeping.set(true);
    }
    if (lanes.values().stream().anyMatch(lane -> lane.started() && !lane.subscribers().isEmpty())) {
      wakeIfSleeping();
      return;
    }
    backends.vertx().setTimer(length.toMillis(), id -> wakeIfSleeping());
  }

  /** Wakes a sleeping node once: a timer and a lane followed again may both ask. */
  private void wakeIfSleeping() {
    if (sleeping.compareAndSet(true, false)) {
      wake();
    }
  }

  /**
   * Subscribers have joined a lane: the node wakes if it was sleeping, and otherwise starts a new
   * wait at once when the one in progress leaves the lane out (nobody followed it when it began),
   * instead of leaving the lane's first frames to wait for it to end, up to a poll interval later.
   */
  private void followed(LaneFeed lane) {
    boolean wait;
    // Under the lock that a wait chooses its lanes under: either that choice saw this lane's new
    // subscriber, or this sees that the lane was left out.
    synchronized (this) {
      wait = sleeping.compareAndSet(true, false) || !lane.watched();
    }
    if (wait) {
      wake();
    }
  }

  /**
   * A lane's log waits for a missing sequence only as long as someone asks it to move on:
   * publishing does, and so does this, for lanes with entries waiting and no publishes coming.
   */
  private void advanceStalled() {
    if (!running) {
      return;
    }
    List<ChainId> started =
        lanes.values().stream().filter(LaneFeed::started).map(LaneFeed::chain).toList();
    if (started.isEmpty()) {
      return;
    }
    backends
        .log()
        .moveOn(started)
        .subscribe()
        .with(
            ignored -> {},
            failure -> {
              metrics.backendFailure("advance");
              LOG.debugf("advancing stalled feed logs failed: %s", failure.getMessage());
            });
  }
}
