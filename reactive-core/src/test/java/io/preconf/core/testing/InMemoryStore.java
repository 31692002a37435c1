package io.preconf.core.testing;

import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.RejectedException;
import io.preconf.core.error.Rejection;
import io.preconf.core.port.FeedPublisher;
import io.preconf.core.port.PreconfirmationStore;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The store and feed ports in memory, for the core's own tests and benchmarks only. The real
 * adapters are PostgreSQL and Redis in {@code infra}.
 */
public final class InMemoryStore implements PreconfirmationStore, FeedPublisher {
  private final Map<String, Preconfirmation> records = new ConcurrentHashMap<>();
  private final Map<String, Preconfirmation> byNonce = new ConcurrentHashMap<>();
  private final List<Preconfirmation> published = new CopyOnWriteArrayList<>();
  private volatile RuntimeException outage;

  public void failWith(RuntimeException failure) {
    this.outage = failure;
  }

  public int size() {
    return records.size();
  }

  public List<Preconfirmation> published() {
    return List.copyOf(published);
  }

  @Override
  public Uni<Void> record(List<Preconfirmation> issued) {
    RuntimeException down = outage;
    if (down != null) {
      return Uni.createFrom().failure(down);
    }
    // As PostgreSQL's unique constraints do: one promise per transaction and per (sender, nonce),
    // all or none; recording the same preconfirmation again is a no-op.
    synchronized (records) {
      for (Preconfirmation p : issued) {
        Preconfirmation tx = records.get(p.chainId() + ":" + p.txHash());
        Preconfirmation nonce = byNonce.get(nonceKey(p));
        if (tx != null && !tx.id().equals(p.id())) {
          return conflict(
              Rejection.of(
                  ErrorCode.STORAGE_FAILED,
                  Reason.INTERNAL_ERROR,
                  "tx " + p.txHash() + " is recorded already"));
        }
        if (tx == null && nonce != null) {
          return conflict(
              Rejection.invalidTransaction(
                  Reason.NONCE_CONFLICT, "nonce " + p.leaf().nonce() + " is recorded already"));
        }
      }
      for (Preconfirmation p : issued) {
        records.put(p.chainId() + ":" + p.txHash(), p);
        byNonce.put(nonceKey(p), p);
      }
    }
    return Uni.createFrom().voidItem();
  }

  private static Uni<Void> conflict(Rejection why) {
    return Uni.createFrom().failure(new RejectedException(why));
  }

  private static String nonceKey(Preconfirmation p) {
    return p.chainId() + ":" + p.leaf().sender() + ":" + p.leaf().nonce();
  }

  @Override
  public Uni<Optional<Preconfirmation>> find(ChainId chainId, Hash32 txHash) {
    return Uni.createFrom().item(Optional.ofNullable(records.get(chainId + ":" + txHash)));
  }

  @Override
  public Uni<Void> publish(List<Preconfirmation> issued) {
    published.addAll(issued);
    return Uni.createFrom().voidItem();
  }
}
