package io.preconf.infra.redis;

import io.preconf.core.port.RateLimit;
import io.preconf.core.port.RateLimiter;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;

/**
 * Fixed windows as Redis counters ({@code limit.lua}): INCRBY, and PEXPIRE when the count has no
 * expiry yet, in one script, so that concurrent callers in any process count exactly.
 */
public final class RedisRateLimiter implements RateLimiter {
  private static final LuaScript TAKE = LuaScript.load("limit");

  private final RedisCommands redis;
  private final RedisKeys keys;

  public RedisRateLimiter(RedisCommands redis, RedisKeys keys) {
    this.redis = redis;
    this.keys = keys;
  }

  @Override
  public Uni<Duration> take(RateLimit limit, String subject, int uses) {
    return redis
        .eval(
            "counting " + limit.name() + " of " + subject,
            TAKE,
            List.of(keys.limit(limit.name(), subject)),
            List.of(
                Integer.toString(uses),
                Integer.toString(limit.max()),
                Long.toString(limit.window().toMillis())))
        .onItem()
        .transform(r -> Duration.ofMillis(r.toLong()));
  }
}
