package io.preconf.infra.redis;

import io.preconf.core.delivery.DeliveryLease;
import io.preconf.core.types.ChainId;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;

/**
 * Each lane's delivery lease as a Redis key holding the holder's name, expiring with the lease
 * ({@code lease.lua}, {@code unlease.lua}). Should Redis lose the key, two processes may both
 * believe they hold a lane for a moment; the fence in PostgreSQL ({@code PgDeliveryLedger}) lets
 * only the later takeover write, and the node answers a transaction sent twice "already known".
 */
public final class RedisDeliveryLease implements DeliveryLease {
  private static final LuaScript HOLD = LuaScript.load("lease");
  private static final LuaScript RELEASE = LuaScript.load("unlease");

  private final RedisCommands redis;
  private final RedisKeys keys;

  public RedisDeliveryLease(RedisCommands redis, RedisKeys keys) {
    this.redis = redis;
    this.keys = keys;
  }

  @Override
  public Uni<Boolean> hold(ChainId chain, String holder, Duration ttl) {
    return redis
        .eval(
            "holding the delivery lease of lane " + chain,
            HOLD,
            List.of(keys.deliveryLease(chain)),
            List.of(holder, Long.toString(ttl.toMillis())))
        .onItem()
        .transform(r -> r.toInteger() == 1);
  }

  @Override
  public Uni<Void> release(ChainId chain, String holder) {
    return redis
        .eval(
            "releasing the delivery lease of lane " + chain,
            RELEASE,
            List.of(keys.deliveryLease(chain)),
            List.of(holder))
        .replaceWithVoid();
  }
}
