package io.preconf.feed;

import io.micrometer.core.instrument.MeterRegistry;
import io.preconf.core.port.Clock;
import io.preconf.feed.hub.FeedMetrics;
import io.preconf.feed.hub.FeedNode;
import io.preconf.feed.sweep.LaneSweeper;
import io.preconf.feed.sweep.SweeperConfig;
import io.preconf.infra.config.RollupSettings;
import io.preconf.infra.pg.PgCalls;
import io.preconf.infra.pg.PgLaneLog;
import io.preconf.infra.redis.RedisCommands;
import io.preconf.infra.redis.RedisFeedLog;
import io.preconf.infra.redis.RedisFeedSignal;
import io.preconf.infra.redis.RedisKeys;
import io.preconf.infra.redis.RedisLaneSequencer;
import io.preconf.infra.redis.RedisStatusLog;
import io.preconf.infra.redis.RedisStatusStream;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Builds this process's feed node from configuration and the infra adapters: the one place the feed
 * meets them. Everything else reads through the core's feed ports.
 */
@ApplicationScoped
public class FeedBeans {

  @Produces
  @Singleton
  FeedNode feedNode(
      FeedConfig config,
      RollupSettings.Properties rollups,
      Vertx vertx,
      RedisCommands redis,
      RedisKeys keys,
      RedisFeedLog log,
      RedisStatusLog statuses,
      Mutiny.SessionFactory sessions,
      PgCalls pg,
      MeterRegistry registry) {
    List<FeedNode.ApiKeyLimit> apiKeys =
        config.apiKeys().entrySet().stream()
            .map(
                e ->
                    new FeedNode.ApiKeyLimit(
                        e.getKey(), e.getValue().key(), e.getValue().maxConnections()))
            .toList();
    FeedNode.Settings settings =
        new FeedNode.Settings(
            config.heartbeatInterval(),
            config.bufferSize(),
            config.maxConnectionsPerAddress(),
            config.maxConnections(),
            config.requireApiKey(),
            apiKeys,
            config.pollInterval(),
            config.batchSize(),
            config.gapSettle());
    return new FeedNode(
        ServedChains.from(config, () -> RollupSettings.read(rollups).rollups()),
        backends(vertx, redis, keys, log, statuses, new PgLaneLog(sessions, pg)),
        settings,
        new FeedMetrics(registry));
  }

  /**
   * The sweeper of the lanes this node serves, over the same lanes the functions claim on; a node
   * configured not to sweep gets one with no lanes.
   */
  @Produces
  @Singleton
  LaneSweeper laneSweeper(SweeperConfig config, FeedNode node, RedisLaneSequencer lanes) {
    return new LaneSweeper(lanes, config.enabled() ? node.chains() : List.of(), config.olderThan());
  }

  /** The feed's ports over Redis and PostgreSQL, as a node reads them. */
  static FeedNode.Backends backends(
      Vertx vertx,
      RedisCommands redis,
      RedisKeys keys,
      RedisFeedLog log,
      RedisStatusLog statuses,
      PgLaneLog archive) {
    return new FeedNode.Backends(
        vertx,
        log,
        archive,
        new RedisStatusStream(statuses, archive),
        new RedisFeedSignal(redis, keys, log),
        Clock.SYSTEM);
  }
}
