package io.preconf.infra.pg;

import io.preconf.core.commit.TrackedPreconfirmation;
import io.preconf.core.port.StatusQuery;
import io.preconf.core.types.Address;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Tuple;
import java.util.Optional;
import java.util.OptionalLong;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Where promises stand, read from PostgreSQL. Not cached: a status changes (inclusion, violation)
 * while the promise itself does not.
 */
public final class PgStatusQuery implements StatusQuery {
  private final Mutiny.SessionFactory sessions;
  private final PgCalls pg;

  public PgStatusQuery(Mutiny.SessionFactory sessions, PgCalls pg) {
    this.sessions = sessions;
    this.pg = pg;
  }

  @Override
  public Uni<Optional<TrackedPreconfirmation>> find(ChainId chainId, Hash32 txHash) {
    return pg.call(
            "reading the status of tx " + txHash + " on chain " + chainId,
            () ->
                sessions.withSession(
                    s ->
                        s.createNativeQuery(
                                StoredPreconfirmations.trackedWhere(
                                    "p.chain_id = :chain and p.tx_hash = :tx"),
                                Tuple.class)
                            .setParameter("chain", chainId.value())
                            .setParameter("tx", txHash.toHex())
                            .getSingleResultOrNull()))
        .onItem()
        .transform(row -> Optional.ofNullable(row).map(StoredPreconfirmations.reader()::tracked));
  }

  @Override
  public Uni<OptionalLong> voidedSequence(ChainId chainId, Hash32 txHash) {
    return max(
        "reading void positions of tx " + txHash + " on chain " + chainId,
        "select max(sequence) from void_positions where chain_id = :chain and tx_hash = :key",
        chainId,
        txHash.toHex());
  }

  @Override
  public Uni<OptionalLong> highestPromisedNonce(ChainId chainId, Address sender) {
    return max(
        "reading the highest promised nonce of " + sender + " on chain " + chainId,
        "select max(nonce) from preconfirmations where chain_id = :chain and sender = :key",
        chainId,
        sender.toHex());
  }

  /** A {@code select max(..)} of one chain's rows by {@code :key}; empty when there are none. */
  private Uni<OptionalLong> max(String what, String sql, ChainId chainId, String key) {
    return pg.call(
            what,
            () ->
                sessions.withSession(
                    s ->
                        s.createNativeQuery(sql, Long.class)
                            .setParameter("chain", chainId.value())
                            .setParameter("key", key)
                            .getSingleResultOrNull()))
        .onItem()
        .transform(max -> max == null ? OptionalLong.empty() : OptionalLong.of(max));
  }
}
