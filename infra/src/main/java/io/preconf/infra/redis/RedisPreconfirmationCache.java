package io.preconf.infra.redis;

import io.preconf.core.commit.Commitment;
import io.preconf.core.commit.Preconfirmation;
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
 * <p>The engine's entries are written by the feed publish ({@link RedisFeedLog}), in the same
 * script call, as {@code "@<seq>"}: a name for the feed entry that holds the preconfirmation's
 * JSON, read back with it in one script call ({@code cached.lua}). What {@link #put} writes (a
 * preconfirmation read from the durable store) holds the preconfirmation's own fields and its
 * commitment's root. Either way the commitment is kept once for the whole round ({@link
 * RedisCommitments}). An entry whose feed entry or commitment is gone, or whose feed entry is
 * another transaction's, reads as no entry, and the durable store answers. A value holding the
 * whole commitment (the form before commitments were kept once) reads as it is; the entries an
 * engine before the feed publish filled the cache wrote, under the untagged key {@code
 * <prefix>pc:}, are not read: they miss, and PostgreSQL answers until they expire.
 */
public final class RedisPreconfirmationCache {
  private static final LuaScript CACHED = LuaScript.load("cached");

  private final RedisCommands redis;
  private final RedisKeys keys;
  private final RedisCommitments commitments;

  public RedisPreconfirmationCache(
      RedisCommands redis, RedisKeys keys, RedisCommitments commitments) {
    this.redis = redis;
    this.keys = keys;
    this.commitments = commitments;
  }

  /**
   * Writes the entries, after the commitments they name that this process has not written yet (in
   * the same round trip, in that order).
   */
  public Uni<Void> put(List<Preconfirmation> issued) {
    List<Request> sets = new ArrayList<>(issued.size());
    List<Commitment> named = new ArrayList<>();
    for (Preconfirmation p : issued) {
      long ttl = commitments.entryMillisToLive(p.commitment());
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
        .eval(
            "reading the preconfirmation cache",
            CACHED,
            List.of(keys.cached(chain, txHash), keys.feed(chain), keys.feedPending(chain)),
            List.of())
        .onItem()
        .transformToUni(
            r -> {
              PreconfirmationCodec.ByRoot entry =
                  r == null ? null : PreconfirmationCodec.readByRoot(r.toString());
              if (entry == null || !entry.leaf().txHash().equals(txHash)) {
                return Uni.createFrom().item(Optional.<Preconfirmation>empty());
              }
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
