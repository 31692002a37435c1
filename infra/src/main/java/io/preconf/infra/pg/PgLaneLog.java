package io.preconf.infra.pg;

import io.preconf.core.feed.LaneArchive;
import io.preconf.core.feed.LaneEntry;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * A lane's history by sequence range, read from PostgreSQL in the same shape as the Redis feed log
 * ({@link LaneEntry}): issued preconfirmations, with their signed transactions, and void positions.
 * Feed readers use it for what the Redis log no longer holds (trimmed, lost) or skipped (a gap left
 * after a failed publish).
 *
 * <p>A sequence with neither a row in {@code preconfirmations} nor in {@code void_positions} is
 * absent from the answer: it was never promised, or its record has not committed yet.
 */
public final class PgLaneLog implements LaneArchive {
  private final Mutiny.SessionFactory sessions;
  private final PgCalls pg;

  public PgLaneLog(Mutiny.SessionFactory sessions, PgCalls pg) {
    this.sessions = sessions;
    this.pg = pg;
  }

  /** Up to {@code max} entries with {@code from <= sequence <= to}, in lane order. */
  @Override
  public Uni<List<LaneEntry>> read(ChainId chain, long from, long to, int max) {
    return pg.call(
            "reading lane " + chain + " sequences " + from + " to " + to,
            () ->
                sessions.withSession(
                    s ->
                        s.createNativeQuery(
                                "select p.sequence as position, 0 as kind, p.signed_tx as bytes, "
                                    + StoredPreconfirmations.COLUMNS
                                    + " from "
                                    + StoredPreconfirmations.FROM
                                    + " where p.chain_id = :chain"
                                    + " and p.sequence between :from and :to"
                                    + " union all"
                                    + " select sequence, 1, tx_hash, "
                                    + StoredPreconfirmations.NO_COLUMNS
                                    + " from void_positions v"
                                    + " where chain_id = :chain and sequence between :from and :to"
                                    // a position both recorded and voided: the record is what
                                    // was promised, and it must count once towards max
                                    + " and not exists (select 1 from preconfirmations p"
                                    + " where p.chain_id = v.chain_id and p.sequence = v.sequence)"
                                    + " order by 1, 2 limit :max",
                                Tuple.class)
                            .setParameter("chain", chain.value())
                            .setParameter("from", from)
                            .setParameter("to", to)
                            .setParameter("max", max)
                            .getResultList()))
        .onItem()
        .transform(PgLaneLog::entries);
  }

  /** The highest sequence recorded for a lane, issued or void; 0 when none. */
  @Override
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

  /** The senders of those transactions that have a preconfirmation recorded on the lane. */
  public Uni<Map<Hash32, Address>> senders(ChainId chain, Collection<Hash32> txHashes) {
    List<String> hexes = txHashes.stream().map(Hash32::toHex).toList();
    return pg.call(
            "looking up the senders of " + hexes.size() + " transaction(s) on chain " + chain,
            () ->
                sessions.withSession(
                    s ->
                        s.createSelectionQuery(
                                "select p.txHash, p.sender from PreconfirmationRow p"
                                    + " where p.chainId = :chain and p.txHash in :txs",
                                Object[].class)
                            .setParameter("chain", chain.value())
                            .setParameter("txs", hexes)
                            .getResultList()))
        .onItem()
        .transform(
            rows -> {
              Map<Hash32, Address> out = new HashMap<>(rows.size());
              for (Object[] r : rows) {
                out.put(
                    Hash32.fromHex("tx_hash", (String) r[0]),
                    Address.fromHex("sender", (String) r[1]));
              }
              return out;
            });
  }

  private static List<LaneEntry> entries(List<Tuple> rows) {
    StoredPreconfirmations.Reader reader = StoredPreconfirmations.reader();
    List<LaneEntry> out = new ArrayList<>(rows.size());
    for (Tuple r : rows) {
      long seq = r.get("position", Long.class);
      String bytes = r.get("bytes", String.class);
      out.add(
          r.get("kind", Integer.class) == 0
              ? new LaneEntry.Issued(
                  seq, reader.read(r), bytes == null ? null : Bytes.fromHex("signed_tx", bytes))
              : new LaneEntry.Void(seq, Hash32.fromHex("tx_hash", bytes)));
    }
    return out;
  }
}
