package io.preconf.core.testing;

import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.commit.PromisedTransaction;
import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.RejectedException;
import io.preconf.core.error.Rejection;
import io.preconf.core.port.FeedPublisher;
import io.preconf.core.port.PreconfirmationStore;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.smallrye.mutiny.Uni;
import java.util.HashMap;
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
  private final Map<String, Preconfirmation> bySequence = new ConcurrentHashMap<>();
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
  public Uni<Void> record(List<PromisedTransaction> kept) {
    List<Preconfirmation> issued = kept.stream().map(PromisedTransaction::preconfirmation).toList();
    RuntimeException down = outage;
    if (down != null) {
      return Uni.createFrom().failure(down);
    }
    // As PostgreSQL's unique constraints do: one promise per transaction, per lane position and
    // per (sender, nonce), all or none; recording the same preconfirmation again is a no-op.
    synchronized (records) {
      Map<String, Preconfirmation> txs = new HashMap<>();
      Map<String, Preconfirmation> sequences = new HashMap<>();
      Map<String, Preconfirmation> nonces = new HashMap<>();
      for (Preconfirmation p : issued) {
        Preconfirmation tx = taken(txKey(p), records, txs);
        if (tx != null && tx.id().equals(p.id())) {
          continue;
        }
        if (tx != null) {
          return conflict(storageConflict("tx " + p.txHash() + " on chain " + p.chainId()));
        }
        if (taken(sequenceKey(p), bySequence, sequences) != null) {
          return conflict(storageConflict("sequence " + p.sequence() + " on chain " + p.chainId()));
        }
        if (taken(nonceKey(p), byNonce, nonces) != null) {
          return conflict(
              Rejection.invalidTransaction(
                  Reason.NONCE_CONFLICT,
                  "sender "
                      + p.leaf().sender()
                      + " nonce "
                      + p.leaf().nonce()
                      + " on chain "
                      + p.chainId()
                      + " is recorded already"));
        }
        txs.put(txKey(p), p);
        sequences.put(sequenceKey(p), p);
        nonces.put(nonceKey(p), p);
      }
      records.putAll(txs);
      bySequence.putAll(sequences);
      byNonce.putAll(nonces);
    }
    return Uni.createFrom().voidItem();
  }

  private static Preconfirmation taken(
      String key, Map<String, Preconfirmation> recorded, Map<String, Preconfirmation> staged) {
    Preconfirmation p = recorded.get(key);
    return p != null ? p : staged.get(key);
  }

  private static Rejection storageConflict(String what) {
    return Rejection.of(
        ErrorCode.STORAGE_FAILED, Reason.INTERNAL_ERROR, what + " is recorded already");
  }

  private static Uni<Void> conflict(Rejection why) {
    return Uni.createFrom().failure(new RejectedException(why));
  }

  private static String txKey(Preconfirmation p) {
    return p.chainId() + ":" + p.txHash();
  }

  private static String sequenceKey(Preconfirmation p) {
    return p.chainId() + ":" + p.sequence();
  }

  private static String nonceKey(Preconfirmation p) {
    return p.chainId() + ":" + p.leaf().sender() + ":" + p.leaf().nonce();
  }

  @Override
  public Uni<Optional<Preconfirmation>> find(ChainId chainId, Hash32 txHash) {
    return Uni.createFrom().item(Optional.ofNullable(records.get(chainId + ":" + txHash)));
  }

  @Override
  public Uni<Void> publish(List<PromisedTransaction> issued) {
    issued.forEach(k -> published.add(k.preconfirmation()));
    return Uni.createFrom().voidItem();
  }
}
