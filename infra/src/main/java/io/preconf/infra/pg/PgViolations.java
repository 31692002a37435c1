package io.preconf.infra.pg;

import io.preconf.core.finality.RecordedViolation;
import io.preconf.core.finality.ViolationKind;
import io.preconf.core.port.ViolationQuery;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Tuple;
import java.util.List;
import org.hibernate.reactive.mutiny.Mutiny;

/** The violations recorded against promises, with their evidence, read from PostgreSQL. */
public final class PgViolations implements ViolationQuery {
  private final Mutiny.SessionFactory sessions;
  private final PgCalls pg;

  public PgViolations(Mutiny.SessionFactory sessions, PgCalls pg) {
    this.sessions = sessions;
    this.pg = pg;
  }

  /** A row of {@code violations} with evidence, its detection time in unix ms. */
  record ViolationRow(
      String preconfirmationId,
      String kind,
      String blockHash,
      String detail,
      String evidence,
      long detectedAt,
      boolean retracted) {

    static ViolationRow from(Tuple row) {
      return new ViolationRow(
          row.get("preconfirmation_id", String.class),
          row.get("kind", String.class),
          row.get("block_hash", String.class),
          row.get("detail", String.class),
          row.get("evidence", String.class),
          row.get("detected_at", Long.class),
          row.get("retracted", Boolean.class));
    }

    RecordedViolation recorded() {
      return new RecordedViolation(
          Hash32.fromHex("preconfirmation_id", preconfirmationId),
          ViolationKind.valueOf(kind),
          Hash32.fromHex("block_hash", blockHash),
          detail,
          evidence,
          detectedAt,
          retracted);
    }
  }

  @Override
  public Uni<List<RecordedViolation>> violations(ChainId chain, Hash32 txHash) {
    return pg.call(
        "reading the violations of tx " + txHash + " on chain " + chain,
        () ->
            sessions.withSession(
                s ->
                    s.createNativeQuery(
                            "select v.preconfirmation_id, v.kind, v.block_hash, v.detail,"
                                + " v.evidence, (extract(epoch from v.detected_at) * 1000)::bigint as detected_at,"
                                + " v.retracted_at is not null as retracted"
                                + " from violations v"
                                + " join preconfirmations p on p.id = v.preconfirmation_id"
                                + " where p.chain_id = :chain and p.tx_hash = :tx"
                                + " and v.evidence is not null order by v.id",
                            Tuple.class)
                        .setParameter("chain", chain.value())
                        .setParameter("tx", txHash.toHex())
                        .getResultList()
                        .map(
                            rows ->
                                rows.stream().map(r -> ViolationRow.from(r).recorded()).toList())));
  }
}
