package io.preconf.infra;

import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.engine.EngineConfig;
import io.preconf.core.engine.PreconfirmationEngine;
import io.preconf.core.metrics.EngineCounters;
import io.preconf.core.port.Clock;
import io.preconf.core.port.FeedPublisher;
import io.preconf.core.port.LaneOutcome.Assigned;
import io.preconf.core.port.LanePosition;
import io.preconf.core.port.LaneSequencer;
import io.preconf.core.rollup.RollupConfig;
import io.preconf.core.rollup.Rollups;
import io.preconf.core.testing.Samples;
import io.preconf.core.types.Address;
import io.preconf.core.types.ChainId;
import io.preconf.infra.pg.PgPreconfirmations;
import io.preconf.infra.redis.RedisCommands;
import io.preconf.infra.redis.RedisCommitments;
import io.preconf.infra.redis.RedisFeedLog;
import io.preconf.infra.redis.RedisKeys;
import io.preconf.infra.redis.RedisLaneSequencer;
import io.preconf.infra.redis.RedisPreconfirmationCache;
import io.preconf.infra.store.DurablePreconfirmationStore;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executor;

/**
 * The adapters as an engine process builds them, under a key prefix of the test's own; building a
 * second set over the same prefix is what a restarted engine process does.
 */
public final class Adapters {
  public static final Duration AWAIT = Duration.ofSeconds(60);
  public static final Duration GAP_WAIT = Duration.ofMillis(500);

  public final RedisCommands redis;
  public final RedisKeys keys;
  public final RedisFeedLog feed;
  public final RedisLaneSequencer lanes;
  public final RedisPreconfirmationCache cache;
  public final DurablePreconfirmationStore store;
  private final Redis client;

  public Adapters(Redis client, String endpoint, PgPreconfirmations pg, String prefix) {
    this(client, endpoint, pg, prefix, Duration.ofSeconds(2));
  }

  public Adapters(
      Redis client, String endpoint, PgPreconfirmations pg, String prefix, Duration timeout) {
    this.client = client;
    this.redis = new RedisCommands(client, endpoint, timeout);
    this.keys = new RedisKeys(prefix);
    RedisCommitments commitments = new RedisCommitments(redis, keys, Clock.SYSTEM);
    this.feed = new RedisFeedLog(redis, keys, 10_000, GAP_WAIT, commitments);
    this.lanes = new RedisLaneSequencer(redis, keys, pg, Duration.ofHours(1), CLAIM_TTL, feed);
    this.cache = new RedisPreconfirmationCache(redis, keys, commitments);
    this.store = new DurablePreconfirmationStore(pg, cache);
  }

  /**
   * Claims the next {@code n} positions of a lane, one by one, each for a fresh sender, and makes
   * their preconfirmations; nothing is recorded or published.
   */
  public List<Preconfirmation> issue(ChainId chain, int n) {
    List<Preconfirmation> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Address sender = Samples.randomAddress();
      LanePosition pos =
          ((Assigned)
                  lanes
                      .claim(List.of(Samples.claim(chain, Samples.randomHash(), sender, 0)), false)
                      .await()
                      .atMost(AWAIT)
                      .get(0))
              .position();
      out.add(Samples.preconfirmation(pos, sender, 0));
    }
    return out;
  }

  /** Every key under the prefix with a serialised copy of its value, to compare before/after. */
  public Map<String, String> contents() {
    Map<String, String> out = new TreeMap<>();
    String cursor = "0";
    do {
      Response r =
          client
              .send(
                  Request.cmd(Command.SCAN)
                      .arg(cursor)
                      .arg("MATCH")
                      .arg(keys.prefix() + "*")
                      .arg("COUNT")
                      .arg(1000))
              .await()
              .atMost(AWAIT);
      cursor = r.get(0).toString();
      for (Response k : r.get(1)) {
        Response dump =
            client.send(Request.cmd(Command.DUMP).arg(k.toString())).await().atMost(AWAIT);
        out.put(
            k.toString(), dump == null ? "" : Base64.getEncoder().encodeToString(dump.toBytes()));
      }
    } while (!cursor.equals("0"));
    return out;
  }

  /** Deletes every key under the prefix: this engine's Redis data is gone. */
  public void forgetRedisData() {
    List<String> all = List.copyOf(contents().keySet());
    for (String k : all) {
      client.send(Request.cmd(Command.DEL).arg(k)).await().atMost(AWAIT);
    }
  }

  /** Makes {@code held} look assigned {@code age} earlier: claims are stamped with Redis' clock. */
  public void backdate(LanePosition held, Duration age) {
    command(
        "HSET",
        keys.tx(held.chainId(), held.txHash()),
        "at",
        Long.toString(held.receivedAt() - age.toMillis()));
  }

  /** How long the lanes' tx and nonce claims live here. */
  public static final Duration CLAIM_TTL = Duration.ofHours(2);

  /** A key's value as its bytes, for values that are not text (a commitment's). */
  public byte[] bytes(String key) {
    Response resp = client.send(Request.cmd(Command.GET).arg(key)).await().atMost(AWAIT);
    return resp == null ? null : resp.toBytes();
  }

  public String command(String... args) {
    Request r = Request.cmd(Command.create(args[0]));
    for (int i = 1; i < args.length; i++) {
      r.arg(args[i]);
    }
    Response resp = client.send(r).await().atMost(AWAIT);
    return resp == null ? null : resp.toString();
  }

  /**
   * The core's engine over these adapters, serving one rollup whose slot 1,000 began {@code slotMs}
   * × 1,000 ago, signing as the tests' preconfer ({@link Fixtures#preconfer}).
   */
  public PreconfirmationEngine engine(
      ChainId chain, long slotMs, long maxGasPerSlot, Executor cpu) {
    return engine(chain, slotMs, maxGasPerSlot, cpu, lanes);
  }

  /** The same engine, claiming through {@code lanes} (these adapters' lanes, wrapped). */
  public PreconfirmationEngine engine(
      ChainId chain, long slotMs, long maxGasPerSlot, Executor cpu, LaneSequencer lanes) {
    return engine(chain, slotMs, maxGasPerSlot, cpu, lanes, feed);
  }

  /** The same engine, publishing through {@code feed} (these adapters' feed log, wrapped). */
  public PreconfirmationEngine engine(
      ChainId chain,
      long slotMs,
      long maxGasPerSlot,
      Executor cpu,
      LaneSequencer lanes,
      FeedPublisher feed) {
    RollupConfig rollup =
        RollupConfig.builder(chain, "test", System.currentTimeMillis() - 1_000 * slotMs)
            .slotDurationMs(slotMs)
            .maxGasPerSlot(maxGasPerSlot)
            .build();
    return new PreconfirmationEngine(
        EngineConfig.defaults(),
        Rollups.of(List.of(rollup)),
        Fixtures.preconfer(),
        new PreconfirmationEngine.Ports(lanes, store, feed, Clock.SYSTEM),
        cpu,
        new EngineCounters());
  }
}
