package io.preconf.infra.pg;

import io.preconf.core.commit.StatusChange;
import io.preconf.core.delivery.DeliveryLedger;
import io.preconf.core.types.ChainId;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Delivery cursors and fences in {@code delivery_cursors}, and DELIVERY_FAILED marks on the
 * preconfirmations they concern. Every write is conditional on the writer's fence being the lane's
 * current one, in the same statement (or transaction) that writes, so a forwarder whose takeover
 * was superseded cannot change anything, however late its write arrives.
 */
public final class PgDeliveryLedger implements DeliveryLedger {
  private static final String TAKE_OVER =
      "insert into delivery_cursors (chain_id, fence, delivered_through) values ($1, 1, 0)"
          + " on conflict (chain_id) do update"
          + " set fence = delivery_cursors.fence + 1, updated_at = now()"
          + " returning fence, delivered_through";

  private static final String ADVANCE =
      "update delivery_cursors"
          + " set delivered_through = greatest(delivered_through, $3), updated_at = now()"
          + " where chain_id = $1 and fence = $2";

  private static final String MARK =
      "update preconfirmations set status = 'DELIVERY_FAILED'"
          + " where chain_id = $1 and tx_hash = $2 and status = 'PRECONFIRMED'"
          + " returning id";

  private static final String HISTORY =
      "insert into status_history (preconfirmation_id, status, changed_at, detail)"
          + " values ($1, 'DELIVERY_FAILED', to_timestamp($2 / 1000.0),"
          + " jsonb_build_object('reason', $3::text, 'sequence', $4::bigint))";

  private final Pool pool;
  private final PgCalls pg;

  public PgDeliveryLedger(Pool pool, PgCalls pg) {
    this.pool = pool;
    this.pg = pg;
  }

  @Override
  public Uni<Cursor> takeOver(ChainId chain) {
    return pg.call(
        "taking over the delivery of lane " + chain,
        () ->
            pool.preparedQuery(TAKE_OVER)
                .execute(Tuple.of(chain.value()))
                .onItem()
                .transform(
                    rows -> {
                      var row = rows.iterator().next();
                      return new Cursor(row.getLong(0), row.getLong(1));
                    }));
  }

  @Override
  public Uni<Write> advance(ChainId chain, long fence, long deliveredThrough) {
    return pg.call(
        "moving the delivery cursor of lane " + chain + " to " + deliveredThrough,
        () -> advance(pool, chain, fence, deliveredThrough));
  }

  private static Uni<Write> advance(SqlClient client, ChainId chain, long fence, long through) {
    return client
        .preparedQuery(ADVANCE)
        .execute(Tuple.of(chain.value(), fence, through))
        .onItem()
        .transform(rows -> rows.rowCount() == 1 ? Write.DONE : Write.FENCED_OUT);
  }

  @Override
  public Uni<Marked> markFailed(long fence, StatusChange change) {
    ChainId chain = change.chainId();
    return pg.call(
        "marking tx " + change.txHash() + " of lane " + chain + " DELIVERY_FAILED",
        () ->
            pool.withTransaction(
                conn ->
                    advance(conn, chain, fence, change.sequence())
                        .onItem()
                        .transformToUni(
                            written ->
                                written == Write.FENCED_OUT
                                    ? Uni.createFrom().item(Marked.FENCED_OUT)
                                    : mark(conn, change))));
  }

  private static Uni<Marked> mark(SqlConnection conn, StatusChange change) {
    return conn.preparedQuery(MARK)
        .execute(Tuple.of(change.chainId().value(), change.txHash().toHex()))
        .onItem()
        .transformToUni(
            rows -> {
              if (rows.rowCount() == 0) {
                return Uni.createFrom().item(Marked.KEPT_STATUS);
              }
              String id = rows.iterator().next().getString(0);
              return conn.preparedQuery(HISTORY)
                  .execute(Tuple.of(id, change.at(), change.reason(), change.sequence()))
                  .replaceWith(Marked.MARKED);
            });
  }
}
