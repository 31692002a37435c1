package io.preconf.infra;

import io.preconf.core.port.Clock;
import io.preconf.infra.pg.PgCalls;
import io.preconf.infra.pg.PgChainLedger;
import io.preconf.infra.pg.PgCommitmentRequests;
import io.preconf.infra.pg.PgLaneEntries;
import io.preconf.infra.pg.PgPreconfirmations;
import io.preconf.infra.pg.PgStatusQuery;
import io.preconf.infra.redis.LaneHolders;
import io.preconf.infra.redis.RedisCommands;
import io.preconf.infra.redis.RedisCommitments;
import io.preconf.infra.redis.RedisFeedLog;
import io.preconf.infra.redis.RedisKeys;
import io.preconf.infra.redis.RedisLaneSequencer;
import io.preconf.infra.redis.RedisPreconfirmationCache;
import io.preconf.infra.redis.RedisRateLimiter;
import io.preconf.infra.redis.RedisStatusLog;
import io.preconf.infra.store.DurablePreconfirmationStore;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.URI;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Wires the adapters to the core's ports: {@link RedisLaneSequencer} is the {@code LaneSequencer},
 * {@link DurablePreconfirmationStore} the {@code PreconfirmationStore} and {@link RedisFeedLog} the
 * {@code FeedPublisher}. The adapters themselves are plain classes, so tests (and a second engine
 * in one JVM) can build them with other settings.
 */
@ApplicationScoped
public class InfraBeans {

  @Produces
  @Singleton
  RedisKeys redisKeys(InfraConfig config) {
    return new RedisKeys(config.redis().keyPrefix());
  }

  @Produces
  @Singleton
  RedisCommands redisCommands(
      Redis redis,
      InfraConfig config,
      @ConfigProperty(name = "quarkus.redis.hosts", defaultValue = "redis://localhost:6379")
          String hosts) {
    return new RedisCommands(redis, hostAndPort(hosts), config.redis().timeout());
  }

  @Produces
  @Singleton
  PgCalls pgCalls(
      Vertx vertx,
      InfraConfig config,
      @ConfigProperty(
              name = "quarkus.datasource.reactive.url",
              defaultValue = "postgresql://localhost:5432")
          String url) {
    return new PgCalls(vertx, hostAndPort(url), config.postgres().timeout());
  }

  @Produces
  @Singleton
  PgPreconfirmations pgPreconfirmations(
      Mutiny.SessionFactory sessions, io.vertx.mutiny.sqlclient.Pool pool, PgCalls pg) {
    return new PgPreconfirmations(sessions, pool, pg);
  }

  /** A lane's positions for the block builders' {@code lane} function. */
  @Produces
  @Singleton
  PgLaneEntries laneEntries(io.vertx.mutiny.sqlclient.Pool pool, PgCalls pg) {
    return new PgLaneEntries(pool, pg);
  }

  /** The eth-fabric commitment requests promised, for {@code commitmentResult}. */
  @Produces
  @Singleton
  PgCommitmentRequests commitmentRequests(io.vertx.mutiny.sqlclient.Pool pool, PgCalls pg) {
    return new PgCommitmentRequests(pool, pg);
  }

  @Produces
  @Singleton
  PgStatusQuery statusQuery(Mutiny.SessionFactory sessions, PgCalls pg) {
    return new PgStatusQuery(sessions, pg);
  }

  /** The finality ledger: blocks, their effects, reorgs and violations. */
  @Produces
  @Singleton
  PgChainLedger chainLedger(Mutiny.SessionFactory sessions, PgCalls pg) {
    return new PgChainLedger(sessions, pg);
  }

  /**
   * The commitments this process wrote or read lately, shared by the cache and the feed log: a
   * round's commitment is written by whichever of them names it first, and read once.
   */
  @Produces
  @Singleton
  RedisCommitments commitments(RedisCommands redis, RedisKeys keys) {
    return new RedisCommitments(redis, keys, Clock.SYSTEM);
  }

  @Produces
  @Singleton
  RedisFeedLog feedLog(
      RedisCommands redis, RedisKeys keys, RedisCommitments commitments, InfraConfig config) {
    return new RedisFeedLog(
        redis, keys, config.redis().feedMaxLength(), config.redis().feedGapWait(), commitments);
  }

  @Produces
  @Singleton
  RedisStatusLog statusLog(RedisCommands redis, RedisKeys keys, InfraConfig config) {
    return new RedisStatusLog(redis, keys, config.redis().feedMaxLength());
  }

  /**
   * This process's lane holds, kept alive every third of their lifetime for as long as the process
   * runs: once it dies, what it held is released within {@code preconf.infra.redis.holder-ttl}.
   */
  @Produces
  @Singleton
  LaneHolders laneHolders(Vertx vertx, RedisCommands redis, RedisKeys keys, InfraConfig config) {
    LaneHolders holders = new LaneHolders(redis, keys, config.redis().holderTtl());
    vertx.setPeriodic(
        Math.max(1, config.redis().holderTtl().toMillis() / 3),
        id -> holders.heartbeat().subscribe().with(ok -> {}, failure -> {}));
    return holders;
  }

  @Produces
  @Singleton
  RedisLaneSequencer laneSequencer(
      RedisCommands redis,
      RedisKeys keys,
      PgPreconfirmations history,
      RedisFeedLog feed,
      LaneHolders holders,
      InfraConfig config) {
    return new RedisLaneSequencer(
        redis, keys, history, config.redis().slotTtl(), config.redis().claimTtl(), feed, holders);
  }

  @Produces
  @Singleton
  RedisRateLimiter rateLimiter(RedisCommands redis, RedisKeys keys) {
    return new RedisRateLimiter(redis, keys);
  }

  @Produces
  @Singleton
  DurablePreconfirmationStore preconfirmationStore(
      PgPreconfirmations durable,
      RedisCommands redis,
      RedisKeys keys,
      RedisCommitments commitments) {
    return new DurablePreconfirmationStore(
        durable, new RedisPreconfirmationCache(redis, keys, commitments));
  }

  /**
   * "redis://127.0.0.1:6390", "postgresql://127.0.0.1:5439/preconf" -> "127.0.0.1:6390[/preconf]".
   */
  static String hostAndPort(String url) {
    String first = url.split(",")[0].trim();
    try {
      URI u = URI.create(first);
      if (u.getHost() != null) {
        String path = u.getPath() == null || u.getPath().isEmpty() ? "" : u.getPath();
        return u.getHost() + ":" + u.getPort() + path;
      }
    } catch (IllegalArgumentException ignored) {
      // not a URI: keep it as written
    }
    return first;
  }
}
