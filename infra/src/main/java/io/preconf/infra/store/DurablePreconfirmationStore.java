package io.preconf.infra.store;

import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.commit.PromisedTransaction;
import io.preconf.core.port.PreconfirmationStore;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.preconf.infra.pg.PgPreconfirmations;
import io.preconf.infra.redis.RedisPreconfirmationCache;
import io.preconf.infra.util.SingleFlight;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * PostgreSQL is the record, Redis a cache in front of it. A write is complete once PostgreSQL has
 * committed. The engine's feed publish fills the cache afterwards ({@link
 * io.preconf.infra.redis.RedisFeedLog}), in the same Redis call as the feed entries, and may miss
 * (Redis down, or a read between the answer and the publish), which only costs a database read. A
 * read tries the cache, then PostgreSQL, and fills the cache from what it found.
 */
public final class DurablePreconfirmationStore implements PreconfirmationStore {
  private static final Logger LOG = Logger.getLogger(DurablePreconfirmationStore.class);

  private final PgPreconfirmations durable;
  private final RedisPreconfirmationCache cache;
  private final SingleFlight<TxKey, Optional<Preconfirmation>> lookups = new SingleFlight<>();

  public DurablePreconfirmationStore(PgPreconfirmations durable, RedisPreconfirmationCache cache) {
    this.durable = durable;
    this.cache = cache;
  }

  /**
   * Complete once PostgreSQL has committed. The cache is not filled here: the feed publish that
   * follows fills it in the same script call as its entries, so that Redis fsyncs one write for
   * both, and the cache names the feed's copy of each preconfirmation instead of holding another.
   */
  @Override
  public Uni<Void> record(List<PromisedTransaction> issued) {
    return durable.record(issued);
  }

  /**
   * Concurrent lookups of one transaction share a single read: callers that found it already held
   * wait here for its record, and a burst of them must not become a burst of reads.
   */
  @Override
  public Uni<Optional<Preconfirmation>> find(ChainId chainId, Hash32 txHash) {
    return lookups.run(new TxKey(chainId, txHash), k -> lookup(k.chainId(), k.txHash()));
  }

  private record TxKey(ChainId chainId, Hash32 txHash) {}

  private Uni<Optional<Preconfirmation>> lookup(ChainId chainId, Hash32 txHash) {
    return cache
        .get(chainId, txHash)
        .onFailure()
        .recoverWithItem(
            f -> {
              LOG.debugf("cache unavailable, reading PostgreSQL: %s", f.getMessage());
              return Optional.empty();
            })
        .onItem()
        .transformToUni(
            hit ->
                hit.isPresent()
                    ? Uni.createFrom().item(hit)
                    : durable
                        .find(chainId, txHash)
                        .call(
                            found ->
                                found
                                    .map(p -> fillCache(List.of(p)))
                                    .orElseGet(() -> Uni.createFrom().voidItem())));
  }

  private Uni<Void> fillCache(List<Preconfirmation> issued) {
    return cache
        .put(issued)
        .onFailure()
        .recoverWithItem(
            f -> {
              LOG.warnf("recorded, but not cached: %s", f.getMessage());
              return null;
            });
  }
}
