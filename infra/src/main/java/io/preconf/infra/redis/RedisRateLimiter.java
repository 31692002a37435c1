package io.preconf.infra.redis;

import io.preconf.core.port.RateLimiter;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Fixed windows as Redis counters ({@code limit.lua}): INCRBY, and PEXPIRE when the count has no
 * expiry yet, for every subject of a call in one script, so that concurrent callers in any process
 * count exactly and a round of requests costs one round trip.
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
  public Uni<List<Duration>> take(List<Use> uses) {
    if (uses.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    List<String> counts = new ArrayList<>(uses.size());
    List<String> args = new ArrayList<>(uses.size() * 3);
    for (Use u : uses) {
      counts.add(keys.limit(u.limit().name(), u.subject()));
      args.add(Integer.toString(u.uses()));
      args.add(Integer.toString(u.limit().max()));
      args.add(Long.toString(u.limit().window().toMillis()));
    }
    return redis.eval(what(uses), TAKE, counts, args).onItem().transform(RedisRateLimiter::waits);
  }

  private static String what(List<Use> uses) {
    Use first = uses.get(0);
    String named = "counting " + first.limit().name() + " of " + first.subject();
    return uses.size() == 1 ? named : named + " and " + (uses.size() - 1) + " more";
  }

  private static List<Duration> waits(Response reply) {
    List<Duration> out = new ArrayList<>(reply.size());
    for (Response ms : reply) {
      out.add(Duration.ofMillis(ms.toLong()));
    }
    return out;
  }
}
