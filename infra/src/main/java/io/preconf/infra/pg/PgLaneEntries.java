package io.preconf.infra.pg;

import io.preconf.core.commit.Status;
import io.preconf.core.pull.LaneEntries;
import io.preconf.core.pull.PulledEntry;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * A lane's positions for block builders, from {@code preconfirmations} (with the signed transaction
 * and the status) and {@code void_positions}. A position both recorded and voided is the promise.
 */
public final class PgLaneEntries implements LaneEntries {
  private static final String FROM_SEQUENCE =
      "select sequence, tx_hash, id, signed_tx, status from preconfirmations"
          + " where chain_id = $1 and sequence >= $2"
          + " union all"
          + " select sequence, tx_hash, null, null, null from void_positions v"
          + " where chain_id = $1 and sequence >= $2"
          + " and not exists (select 1 from preconfirmations p"
          + " where p.chain_id = v.chain_id and p.sequence = v.sequence)"
          + " order by 1 limit $3";

  private static final String FOR_SLOT =
      "select sequence, tx_hash, id, signed_tx, status from preconfirmations"
          + " where chain_id = $1 and sequence >= $2 and target_slot = $4"
          + " order by sequence limit $3";

  private final Pool pool;
  private final PgCalls pg;

  public PgLaneEntries(Pool pool, PgCalls pg) {
    this.pool = pool;
    this.pg = pg;
  }

  @Override
  public Uni<List<PulledEntry>> read(ChainId chain, long from, OptionalLong targetSlot, int max) {
    Tuple args = Tuple.of(chain.value(), from, max);
    String sql = FROM_SEQUENCE;
    if (targetSlot.isPresent()) {
      args.addLong(targetSlot.getAsLong());
      sql = FOR_SLOT;
    }
    String query = sql;
    return pg.call(
        "reading lane " + chain + " from sequence " + from + " for a block builder",
        () ->
            pool.preparedQuery(query)
                .execute(args)
                .onItem()
                .transform(
                    rows -> {
                      List<PulledEntry> out = new ArrayList<>(rows.size());
                      for (Row r : rows) {
                        out.add(entry(r));
                      }
                      return out;
                    }));
  }

  private static PulledEntry entry(Row r) {
    String id = r.getString(2);
    String bytes = r.getString(3);
    String status = r.getString(4);
    return new PulledEntry(
        r.getLong(0),
        Hash32.fromHex("tx_hash", r.getString(1)),
        id == null ? null : Hash32.fromHex("id", id),
        bytes == null ? null : Bytes.fromHex("signed_tx", bytes),
        status == null ? null : Status.valueOf(status));
  }
}
