package io.preconf.feed;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The feed's settings, under {@code preconf.feed}. Servers are set by {@code quarkus.redis.*} and
 * {@code quarkus.datasource.*}; the port by {@code PRECONF_FEED_PORT}.
 */
@ConfigMapping(prefix = "preconf.feed")
public interface FeedConfig {

  /**
   * The chains served. When absent, the rollups the functions are configured with ({@code
   * preconf.rollups-json} or {@code preconf.rollups[i].*}, see {@code RollupSettings}).
   */
  Optional<List<Long>> chains();

  /** How often every subscriber gets {@code {"type":"heartbeat"}}. */
  @WithDefault("15s")
  Duration heartbeatInterval();

  /**
   * How many messages may wait, per connection, for the socket to take them. A subscriber with more
   * waiting is too slow and is disconnected (close code 4008), so it cannot hold memory or delay
   * anyone else.
   */
  @WithDefault("1024")
  int bufferSize();

  /** Open connections allowed from one client address (without an API key). */
  @WithDefault("32")
  int maxConnectionsPerAddress();

  /** Open connections this node takes in all. */
  @WithDefault("20000")
  int maxConnections();

  /**
   * A header naming the client's address, set by a trusted proxy in front of the feed (for example
   * {@code X-Forwarded-For} behind a load balancer, whose last value it appends). Without it, the
   * socket's peer address counts, which behind a proxy is the proxy.
   */
  Optional<String> clientAddressHeader();

  /** Refuse connections without a known API key. */
  @WithDefault("false")
  boolean requireApiKey();

  /**
   * API keys by name: {@code preconf.feed.api-keys.<name>.key} and {@code
   * preconf.feed.api-keys.<name>.max-connections}. A client sends one in the {@code X-Api-Key}
   * header or the {@code apiKey} query parameter; its connections count against the key's limit
   * instead of its address's.
   */
  Map<String, ApiKey> apiKeys();

  /**
   * Offer permessage-deflate (it sets {@code
   * quarkus.websockets-next.server.per-message-compression-supported}). Off by default: it halves
   * the bytes of hex-heavy JSON but deflates every message once per subscriber.
   */
  @WithDefault("false")
  boolean compression();

  /**
   * The longest a lane reader waits on Redis for news before it looks again; also how often stalled
   * lanes are asked to move on.
   */
  @WithDefault("1s")
  Duration pollInterval();

  /** Entries read from Redis or PostgreSQL in one step. */
  @WithDefault("256")
  int batchSize();

  /**
   * How long a sequence missing from both the Redis log and PostgreSQL may still turn up (a record
   * committing late) before readers step over it, counted from the receivedAt of the entry after
   * it.
   */
  @WithDefault("5s")
  Duration gapSettle();

  interface ApiKey {
    String key();

    @WithDefault("256")
    int maxConnections();
  }
}
