package io.preconf.infra.pg;

import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.preconf.infra.redis.RedisFeedLog.Entry;
import io.preconf.wire.PreconfirmationCodec;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * A lane's history by sequence range, read from PostgreSQL in the same shape as the Redis feed log
 * ({@link Entry}): issued preconfirmations and void positions. Feed readers use it for what the
 * Redis log no longer holds (trimmed, lost) or skipped (a gap left after a failed publish).
 *
 * <p>A sequence with neither a row in {@code preconfirmations} nor in {@code void_positions} is
 * absent from the answer: it was never promised, or its record has not committed yet.
 */
public final class PgLaneLog {
  private final Mutiny.SessionFactory sessions;
  private final PgCalls pg;

  public PgLaneLog(Mutiny.SessionFactory sessions, PgCalls pg) {
    this.sessions = sessions;
    this.pg = pg;
  }

  /** Up to {@code max} entries with {@code from <= sequence <= to}, in lane order. */
  public Uni<List<Entry>> read(ChainId chain, long from, long to, int max) {
    return pg.call(
            "reading lane " + chain + " sequences " + from + " to " + to,
            () ->
                sessions.withSession(
                    s ->
                        s.createNativeQuery(
                                "select sequence, 0 as kind, json::text, null from preconfirmations"
                                    + " where chain_id = :chain and sequence between :from and :to"
                                    + " union all"
                                    + " select sequence, 1, null, tx_hash from void_positions"
                                    + " where chain_id = :chain and sequence between :from and :to"
                                    + " order by 1, 2 limit :max",
                                Object[].class)
                            .setParameter("chain", chain.value())
                            .setParameter("from", from)
                            .setParameter("to", to)
                            .setParameter("max", max)
                            .getResultList()))
        .onItem()
        .transform(PgLaneLog::entries);
  }

  /** The highest sequence recorded for a lane, issued or void; 0 when none. */
  public Uni<Long> lastSequence(ChainId chain) {
    return pg.call(
            "reading the last recorded sequence of lane " + chain,
            () ->
                sessions.withSession(
                    s ->
                        s.createNativeQuery(
                                "select greatest("
                                    + "(select max(sequence) from preconfirmations"
                                    + " where chain_id = :chain),"
                                    + "(select max(sequence) from void_positions"
                                    + " where chain_id = :chain))",
                                Long.class)
                            .setParameter("chain", chain.value())
                            .getSingleResultOrNull()))
        .onItem()
        .transform(max -> max == null ? 0L : max);
  }

  private static List<Entry> entries(List<Object[]> rows) {
    List<Entry> out = new ArrayList<>(rows.size());
    long last = 0;
    for (Object[] r : rows) {
      long seq = ((Number) r[0]).longValue();
      if (seq == last) {
        continue; // a position both recorded and voided: the record is what was promised
      }
      last = seq;
      out.add(
          r[2] != null
              ? new Entry.Issued(seq, PreconfirmationCodec.fromJson((String) r[2]))
              : new Entry.Void(seq, Hash32.fromHex("tx_hash", (String) r[3])));
    }
    return out;
  }
}
