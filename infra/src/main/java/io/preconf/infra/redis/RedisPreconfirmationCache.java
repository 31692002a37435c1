package io.preconf.infra.redis;

import io.preconf.core.commit.Commitment;
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
 *
 * <p>An entry holds the preconfirmation's own fields and its commitment's root; the commitment is
 * kept once for the whole round ({@link RedisCommitments}). An entry whose commitment is gone reads
 * as no entry, and the durable store answers. Entries an older engine wrote, with the whole
 * commitment inside, read as they are.
 */
public final class RedisPreconfirmationCache {
  private final RedisCommands redis;
  private final RedisKeys keys;
  private final Clock clock;
  private final RedisCommitments commitments;

  public RedisPreconfirmationCache(
      RedisCommands redis, RedisKeys keys, Clock clock, RedisCommitments commitments) {
    this.redis = redis;
    this.keys = keys;
    this.clock = clock;
    this.commitments = commitments;
  }

  /** A cache with commitments of its own, not shared with the feed log. */
  public RedisPreconfirmationCache(RedisCommands redis, RedisKeys keys, Clock clock) {
    this(redis, keys, clock, new RedisCommitments(redis, keys, clock));
  }

  /**
   * Writes the entries, after the commitments they name that this process has not written yet (in
   * the same round trip, in that order).
   */
  public Uni<Void> put(List<Preconfirmation> issued) {
    long now = clock.nowMillis();
    List<Request> sets = new ArrayList<>(issued.size());
    List<Commitment> named = new ArrayList<>();
    for (Preconfirmation p : issued) {
      long ttl = p.commitment().expiresAt() - now;
      if (ttl > 0) {
        named.add(p.commitment());
        sets.add(
            Request.cmd(Command.SET)
                .arg(keys.cached(p.chainId(), p.txHash()))
                .arg(PreconfirmationCodec.toJsonByRoot(p))
                .arg("PX")
                .arg(ttl));
      }
    }
    if (sets.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    List<Commitment> written = commitments.toWrite(named);
    List<Request> requests = new ArrayList<>(written.size() + sets.size());
    written.forEach(c -> requests.add(commitments.set(c)));
    requests.addAll(sets);
    return redis
        .batch("caching issued preconfirmations", requests)
        .onFailure()
        .invoke(() -> commitments.unwritten(written))
        .replaceWithVoid();
  }

  public Uni<Optional<Preconfirmation>> get(ChainId chain, Hash32 txHash) {
    return redis
        .send(
            "reading the preconfirmation cache",
            Request.cmd(Command.GET).arg(keys.cached(chain, txHash)))
        .onItem()
        .transformToUni(
            r -> {
              if (r == null) {
                return Uni.createFrom().item(Optional.<Preconfirmation>empty());
              }
              PreconfirmationCodec.ByRoot entry = PreconfirmationCodec.readByRoot(r.toString());
              if (entry.commitment() != null) {
                return Uni.createFrom().item(Optional.of(entry.attach(entry.commitment())));
              }
              return commitments
                  .fetch(List.of(entry.root()))
                  .onItem()
                  .transform(
                      fetched ->
                          Optional.ofNullable(commitments.held(entry.root())).map(entry::attach));
            });
  }
}
