package io.preconf.feed;

import io.micrometer.core.instrument.MeterRegistry;
import io.preconf.core.port.Clock;
import io.preconf.feed.hub.FeedMetrics;
import io.preconf.feed.hub.FeedNode;
import io.preconf.infra.config.RollupSettings;
import io.preconf.infra.pg.PgCalls;
import io.preconf.infra.pg.PgLaneLog;
import io.preconf.infra.pg.PgPreconfirmations;
import io.preconf.infra.redis.RedisCommands;
import io.preconf.infra.redis.RedisFeedLog;
import io.preconf.infra.redis.RedisKeys;
import io.preconf.infra.redis.RedisStatusLog;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;
import org.hibernate.reactive.mutiny.Mutiny;

/** Builds this process's feed node from configuration and the infra adapters. */
@ApplicationScoped
public class FeedBeans {

  @Produces
  @Singleton
  PgLaneLog pgLaneLog(Mutiny.SessionFactory sessions, PgCalls pg) {
    return new PgLaneLog(sessions, pg);
  }

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
      PgLaneLog pgLog,
      PgPreconfirmations pgFind,
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
        ServedChains.from(config, rollups),
        new FeedNode.Backends(vertx, redis, keys, log, statuses, pgLog, pgFind, Clock.SYSTEM),
        settings,
        new FeedMetrics(registry));
  }
}
