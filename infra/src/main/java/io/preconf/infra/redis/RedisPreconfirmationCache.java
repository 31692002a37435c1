package io.preconf.infra.redis;

import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.port.Clock;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.preconf.wire.PreconfirmationCodec;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Issued preconfirmations in Redis, for idempotent answers and status lookups without a database
 * round trip. An entry lives until its commitment expires: after that the promise is void and the
 * durable store answers.
 */
public final class RedisPreconfirmationCache {
  private final RedisCommands redis;
  private final RedisKeys keys;
  private final Clock clock;

  public RedisPreconfirmationCache(RedisCommands redis, RedisKeys keys, Clock clock) {
    this.redis = redis;
    this.keys = keys;
    this.clock = clock;
  }

  public Uni<Void> put(List<Preconfirmation> issued) {
    long now = clock.nowMillis();
    List<Request> sets = new ArrayList<>(issued.size());
    for (Preconfirmation p : issued) {
      long ttl = p.commitment().expiresAt() - now;
      if (ttl > 0) {
        sets.add(
            Request.cmd(Command.SET)
                .arg(keys.cached(p.chainId(), p.txHash()))
                .arg(PreconfirmationCodec.toJson(p))
                .arg("PX")
                .arg(ttl));
      }
    }
    if (sets.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return redis.batch("caching issued preconfirmations", sets).replaceWithVoid();
  }

  public Uni<Optional<Preconfirmation>> get(ChainId chain, Hash32 txHash) {
    return redis
        .send(
            "reading the preconfirmation cache",
            Request.cmd(Command.GET).arg(keys.cached(chain, txHash)))
        .onItem()
        .transform(
            r ->
                r == null
                    ? Optional.empty()
                    : Optional.of(PreconfirmationCodec.fromJson(r.toString())));
  }
}
