package io.preconf.infra.pg;

import io.preconf.core.compat.FabricCommitments;
import io.preconf.core.port.CommitmentRequests;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.Optional;

/** The promised eth-fabric commitment requests, in {@code commitment_requests} (V7). */
public final class PgCommitmentRequests implements CommitmentRequests {
  private static final String INSERT =
      "insert into commitment_requests"
          + " (request_hash, chain_id, tx_hash, commitment_type, payload, slasher)"
          + " values ($1, $2, $3, $4, $5, $6) on conflict (request_hash) do nothing";

  private static final String SELECT =
      "select chain_id, tx_hash, commitment_type, payload, slasher from commitment_requests"
          + " where request_hash = $1";

  private final Pool pool;
  private final PgCalls pg;

  public PgCommitmentRequests(Pool pool, PgCalls pg) {
    this.pool = pool;
    this.pg = pg;
  }

  @Override
  public Uni<Void> keep(Kept kept) {
    FabricCommitments.Request r = kept.request();
    Tuple args =
        Tuple.of(
            kept.requestHash().toHex(),
            kept.chainId().value(),
            kept.txHash().toHex(),
            r.commitmentType(),
            r.payload().toHex(),
            r.slasher().toHex());
    return pg.call(
            "keeping commitment request " + kept.requestHash(),
            () -> pool.preparedQuery(INSERT).execute(args))
        .replaceWithVoid();
  }

  @Override
  public Uni<Optional<Kept>> find(Hash32 requestHash) {
    return pg.call(
            "reading commitment request " + requestHash,
            () -> pool.preparedQuery(SELECT).execute(Tuple.of(requestHash.toHex())))
        .onItem()
        .transform(
            rows -> {
              RowIterator<Row> it = rows.iterator();
              return it.hasNext() ? Optional.of(kept(requestHash, it.next())) : Optional.empty();
            });
  }

  private static Kept kept(Hash32 requestHash, Row r) {
    return new Kept(
        requestHash,
        ChainId.of(r.getLong(0)),
        Hash32.fromHex("tx_hash", r.getString(1)),
        new FabricCommitments.Request(
            r.getLong(2),
            Bytes.fromHex("payload", r.getString(3)),
            Address.fromHex("slasher", r.getString(4))));
  }
}
