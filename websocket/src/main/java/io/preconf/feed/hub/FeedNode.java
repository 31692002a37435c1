package io.preconf.feed.hub;

import io.preconf.core.error.Result;
import io.preconf.core.port.Clock;
import io.preconf.core.types.ChainId;
import io.preconf.feed.request.QueryParams;
import io.preconf.feed.request.Refusal;
import io.preconf.feed.request.Subscription;
import io.preconf.feed.request.SubscriptionRequest;
import io.preconf.infra.pg.PgLaneLog;
import io.preconf.infra.pg.PgPreconfirmations;
import io.preconf.infra.redis.RedisCommands;
import io.preconf.infra.redis.RedisFeedLog;
import io.preconf.infra.redis.RedisKeys;
import io.preconf.infra.redis.RedisStatusLog;
import io.preconf.wire.FeedMessages;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * One feed node: a {@link LaneFeed} per served chain (the only readers of Redis on this node), the
 * open subscribers, their limits, heartbeats, and one blocking read that wakes the lanes when their
 * streams move.
 *
 * <p>A node keeps no state another node needs: it reads Redis and PostgreSQL only, so any number of
 * nodes can serve the same feed, and a subscriber can resume on any of them with {@code from}.
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

  /** What the node reads through. */
  public record Backends(
      Vertx vertx,
      RedisCommands redis,
      RedisKeys keys,
      RedisFeedLog log,
      RedisStatusLog statuses,
      PgLaneLog pgLog,
      PgPreconfirmations pgFind,
      Clock clock) {}

  private final List<ChainId> chains;
  private final Backends backends;
  private final Settings settings;
  private final FeedMetrics metrics;
  private final Map<ChainId, LaneFeed> lanes = new LinkedHashMap<>();
  private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
  private final ConnectionLimits limits;

  private volatile boolean running;
  private volatile long lastRound;
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
    for (ChainId chain : chains) {
      lanes.put(chain, new LaneFeed(chain, backends, settings, metrics));
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

  /** Started, every lane live, and the wake-up read answered lately. */
  public boolean ready() {
    long quiet = backends.clock().nowMillis() - lastRound;
    return running
        && lanes.values().stream().allMatch(LaneFeed::started)
        && quiet < 2 * blockMillis() + backends.redis().timeout().toMillis();
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
            },
            failure -> {
              metrics.backendFailure("start");
              LOG.warnf("lane %s: cannot start, retrying: %s", lane.chain(), failure.getMessage());
              backends.vertx().setTimer(settings.pollInterval().toMillis(), id -> startLane(lane));
            });
  }

  // ---------------------------------------------------------------- connections

  /**
   * Takes a new connection: checks its parameters, its key and its limits, and subscribes it to its
   * lanes; or sends an error frame and closes it. Returns null when refused.
   */
  public Subscriber open(Outlet outlet, Handshake handshake) {
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
    Subscriber s = new Subscriber(outlet, subscription, settings.bufferSize(), this::cutByFeed);
    s.ticket(admission.ticket());
    subscribers.add(s);
    for (ChainId chain : subscription.chains()) {
      lanes.get(chain).subscribe(s, subscription.from());
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

  private void refuse(Outlet outlet, Refusal refusal) {
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

  // ---------------------------------------------------------------- reading Redis

  private long blockMillis() {
    return Math.max(
        1, Math.min(settings.pollInterval().toMillis(), backends.redis().timeout().toMillis() / 2));
  }

  /**
   * One blocking XREAD over every started lane's log and status stream, from what each lane has
   * seen: it answers as soon as any of them moves, and the lanes that moved read on. When it times
   * out, every lane looks once anyway, which also retries anything that failed quietly.
   */
  private void wake() {
    if (!running) {
      return;
    }
    List<LaneFeed> started = lanes.values().stream().filter(LaneFeed::started).toList();
    if (started.isEmpty()) {
      backends.vertx().setTimer(settings.retryDelay().toMillis(), id -> wake());
      return;
    }
    Map<String, Consumer<Response>> byKey = new LinkedHashMap<>();
    List<String> ids = new ArrayList<>();
    for (LaneFeed lane : started) {
      byKey.put(lane.feedKey(), entries -> pumpWith(lane, entries));
      ids.add(lane.feedWaitId());
      byKey.put(lane.statusKey(), ignored -> lane.pumpStatus());
      ids.add(lane.statusWaitId());
    }
    // The answer carries the new entries themselves, up to a batch per stream: a lane whose
    // entries continue where it stands dispatches them at once instead of reading them again.
    Request xread =
        Request.cmd(Command.XREAD)
            .arg("COUNT")
            .arg(settings.batchSize())
            .arg("BLOCK")
            .arg(blockMillis());
    xread.arg("STREAMS");
    byKey.keySet().forEach(xread::arg);
    ids.forEach(xread::arg);
    backends
        .redis()
        .send("waiting for news on the feed streams", xread)
        .subscribe()
        .with(
            response -> {
              lastRound = backends.clock().nowMillis();
              Map<String, Response> moved = streamsOf(response);
              if (moved.isEmpty()) {
                for (LaneFeed lane : started) {
                  lane.pump();
                  lane.pumpStatus();
                }
              } else {
                moved.forEach(
                    (key, entries) -> {
                      Consumer<Response> lane = byKey.get(key);
                      if (lane != null) {
                        lane.accept(entries);
                      }
                    });
              }
              wake();
            },
            failure -> {
              if (!running) {
                return; // stopping: the client was closed under the pending read
              }
              metrics.backendFailure("wait");
              LOG.warnf("waiting on the feed streams failed: %s", failure.getMessage());
              backends.vertx().setTimer(settings.pollInterval().toMillis(), id -> wake());
            });
  }

  /**
   * Hands the woken entries to the lane. A lane that is behind reads from its own position anyway,
   * so the answer's entries (up to a batch of 7 KB preconfirmations) are parsed only when the first
   * one is the lane's next.
   */
  private static void pumpWith(LaneFeed lane, Response entries) {
    List<RedisFeedLog.Entry> parsed;
    try {
      String firstId = entries.size() == 0 ? "" : entries.get(0).get(0).toString();
      if (!firstId.equals((lane.position() + 1) + "-0")) {
        lane.pump();
        return;
      }
      parsed = RedisFeedLog.entries(entries);
    } catch (RuntimeException e) {
      lane.pump(); // the lane's own read reports what is wrong with the log
      return;
    }
    lane.pump(parsed);
  }

  /**
   * The streams in an XREAD answer with their entries: a map in RESP3, a list of [key, entries] in
   * RESP2.
   */
  private static Map<String, Response> streamsOf(Response response) {
    Map<String, Response> out = new LinkedHashMap<>();
    if (response == null) {
      return out;
    }
    if (response.isMap()) {
      for (String key : response.getKeys()) {
        out.put(key, response.get(key));
      }
      return out;
    }
    for (int i = 0; i < response.size(); i++) {
      out.put(response.get(i).get(0).toString(), response.get(i).get(1));
    }
    return out;
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
    List<Request> lengths = new ArrayList<>(started.size());
    for (ChainId chain : started) {
      lengths.add(Request.cmd(Command.HLEN).arg(backends.keys().feedPending(chain)));
    }
    backends
        .redis()
        .batch("checking for stalled feed logs", lengths)
        .onItem()
        .transformToUni(
            answers -> {
              List<ChainId> stalled = new ArrayList<>();
              for (int i = 0; i < started.size(); i++) {
                if (answers.get(i) != null && answers.get(i).toLong() > 0) {
                  stalled.add(started.get(i));
                }
              }
              return stalled.isEmpty()
                  ? Uni.createFrom().voidItem()
                  : backends.log().advance(stalled);
            })
        .subscribe()
        .with(
            ignored -> {},
            failure -> {
              metrics.backendFailure("advance");
              LOG.debugf("advancing stalled feed logs failed: %s", failure.getMessage());
            });
  }
}
