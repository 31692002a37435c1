package io.preconf.infra;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Settings of the adapters, under {@code preconf.infra}. Servers are set by quarkus.redis.* and
 * quarkus.datasource.*.
 */
@ConfigMapping(prefix = "preconf.infra")
public interface InfraConfig {

  Redis redis();

  Postgres postgres();

  interface Redis {
    /** Prefix of every key, so several engines (or tests) can share one Redis. */
    @WithDefault("preconf:")
    String keyPrefix();

    /** How long one step may wait for Redis before it fails with BACKEND_UNAVAILABLE. */
    @WithDefault("2s")
    Duration timeout();

    /** How long a slot's usage counters live; must outlast the lookahead window. */
    @WithDefault("2d")
    Duration slotTtl();

    /**
     * How long a transaction's and a (sender, nonce)'s claims stay in Redis. Within it a
     * resubmission is answered from Redis; after it PostgreSQL's unique constraints still refuse a
     * second promise and the engine answers the recorded one. Bounds Redis' memory.
     */
    @WithDefault("1d")
    Duration claimTtl();

    /**
     * How long an engine process counts as alive after its last heartbeat (sent every third of it).
     * A lane position whose process is no longer alive, or that was never marked with one and is
     * older than this, is voided when its transaction is submitted again or the sweeper passes, so
     * what a crashed process held is free again within seconds.
     */
    @WithDefault("5s")
    Duration holderTtl();

    /** Approximate number of entries each lane's feed stream keeps. */
    @WithDefault("100000")
    long feedMaxLength();

    /**
     * How long a lane's feed log waits for a missing sequence (a failed publish, a crashed process)
     * before it moves on and leaves the gap for readers to fill from PostgreSQL.
     */
    @WithDefault("2s")
    Duration feedGapWait();
  }

  interface Postgres {
    /** How long one call may wait for PostgreSQL before it fails with BACKEND_UNAVAILABLE. */
    @WithDefault("3s")
    Duration timeout();
  }
}
