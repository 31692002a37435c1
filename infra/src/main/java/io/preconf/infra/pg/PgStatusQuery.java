package io.preconf.infra.pg;

import io.preconf.core.finality.RecordedViolation;
import io.preconf.core.finality.ViolationKind;
import io.preconf.core.port.PromiseSnapshot;
import io.preconf.core.port.StatusQuery;
import io.preconf.core.types.Address;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Tuple;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Where promises stand, read from PostgreSQL. Not cached: a status changes (inclusion, violation)
 * while the promise itself does not.
 */
public final class PgStatusQuery implements StatusQuery {
  /**
   * A promise with its violations that carry evidence, one row per violation (one row with null
   * violation columns when it has none). One statement sees one snapshot even under READ COMMITTED,
   * so the status and the violations agree whatever the block follower commits meanwhile; the few
   * rows a violated promise repeats cost less than a second round trip.
   */
  private static final String WITH_VIOLATIONS =
      "select "
          + StoredPreconfirmations.TRACKED_COLUMNS
          + ", v.id as violation_id, v.kind as violation_kind,"
          + " v.block_hash as violation_block_hash, v.detail as violation_detail,"
          + " v.evidence as violation_evidence,"
          + " (extract(epoch from v.detected_at) * 1000)::bigint as violation_detected_at,"
          + " v.retracted_at is not null as violation_retracted"
          + " from "
          + StoredPreconfirmations.FROM
          + " left join violations v on v.preconfirmation_id = p.id and v.evidence is not null"
          + " where p.chain_id = :chain and p.tx_hash = :tx order by v.id";

  private final Mutiny.SessionFactory sessions;
  private final PgCalls pg;

  public PgStatusQuery(Mutiny.SessionFactory sessions, PgCalls pg) {
    this.sessions = sessions;
    this.pg = pg;
  }

  @Override
  public Uni<Optional<PromiseSnapshot>> find(ChainId chainId, Hash32 txHash) {
    return pg.call(
            "reading the status of tx " + txHash + " on chain " + chainId,
            () ->
                sessions.withSession(
                    s ->
                        s.createNativeQuery(WITH_VIOLATIONS, Tuple.class)
                            .setParameter("chain", chainId.value())
                            .setParameter("tx", txHash.toHex())
                            .getResultList()))
        .onItem()
        .transform(PgStatusQuery::snapshot);
  }

  /** The promise of the first row (every row repeats it) and the violation of each row. */
  private static Optional<PromiseSnapshot> snapshot(List<Tuple> rows) {
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    List<RecordedViolation> violations =
        rows.stream()
            .filter(row -> row.get("violation_id", Long.class) != null)
            .map(PgStatusQuery::violation)
            .toList();
    return Optional.of(
        new PromiseSnapshot(StoredPreconfirmations.reader().tracked(rows.get(0)), violations));
  }

  private static RecordedViolation violation(Tuple row) {
    return new RecordedViolation(
        Hash32.fromHex("id", row.get("id", String.class)),
        ViolationKind.valueOf(row.get("violation_kind", String.class)),
        Hash32.fromHex("violation_block_hash", row.get("violation_block_hash", String.class)),
        row.get("violation_detail", String.class),
        row.get("violation_evidence", String.class),
        row.get("violation_detected_at", Long.class),
        row.get("violation_retracted", Boolean.class));
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
