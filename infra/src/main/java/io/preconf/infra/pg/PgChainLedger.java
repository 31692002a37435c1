package io.preconf.infra.pg;

import io.preconf.core.commit.Status;
import io.preconf.core.commit.TrackedPreconfirmation;
import io.preconf.core.finality.Block;
import io.preconf.core.finality.ChainView;
import io.preconf.core.finality.ReconcilePlan;
import io.preconf.core.finality.SeenBlock;
import io.preconf.core.finality.StatusEffect;
import io.preconf.core.port.ChainLedger;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.preconf.wire.HashList;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * The finality ledger in PostgreSQL (tables of V2__finality.sql): blocks per chain with their
 * effects, reorgs, violations with evidence, and the promises' statuses in {@code
 * preconfirmations}. A plan is written by {@link PgPlanWriter}, in one transaction under a row lock
 * on the chain, and only if the chain's version is still the one the plan was judged against.
 *
 * <p>Lists of hashes travel as one comma-separated text parameter split in SQL, so that an empty
 * list needs no special case.
 */
public final class PgChainLedger implements ChainLedger {
  private static final String BLOCK_COLUMNS =
      "hash, number, parent_hash, slot, transactions::text as transactions, canonical";

  private final Mutiny.SessionFactory sessions;
  private final PgCalls pg;
  private final PgPlanWriter writer;

  public PgChainLedger(Mutiny.SessionFactory sessions, PgCalls pg) {
    this.sessions = sessions;
    this.pg = pg;
    this.writer = new PgPlanWriter(sessions, pg);
  }

  /** A row of {@code chains}: its version and canonical head. */
  record HeadRow(long version, long headNumber) {
    static HeadRow from(Tuple row) {
      return new HeadRow(row.get("version", Long.class), row.get("head_number", Long.class));
    }
  }

  /** A row of {@code blocks}, its transactions as JSON text. */
  record BlockRow(
      String hash,
      long number,
      String parentHash,
      long slot,
      String transactions,
      boolean canonical) {

    static BlockRow from(Tuple row) {
      return new BlockRow(
          row.get("hash", String.class),
          row.get("number", Long.class),
          row.get("parent_hash", String.class),
          row.get("slot", Long.class),
          row.get("transactions", String.class),
          row.get("canonical", Boolean.class));
    }

    Block block(ChainId chain) {
      List<Hash32> txs = HashList.fromJson("transactions of stored block " + hash, transactions);
      return new Block(
          chain,
          number,
          Hash32.fromHex("hash", hash),
          Hash32.fromHex("parent_hash", parentHash),
          slot,
          txs);
    }
  }

  /** A row of {@code block_effects}, with the transaction and lane sequence of its promise. */
  record EffectRow(
      String blockHash,
      String preconfirmationId,
      String txHash,
      long sequence,
      String fromStatus,
      Long fromBlockNumber,
      String fromBlockHash,
      Integer fromTxIndex,
      String toStatus,
      Long toBlockNumber,
      String toBlockHash,
      Integer toTxIndex,
      String reason,
      long promiseChain) {

    static EffectRow from(Tuple row) {
      return new EffectRow(
          row.get("block_hash", String.class),
          row.get("preconfirmation_id", String.class),
          row.get("tx_hash", String.class),
          row.get("sequence", Long.class),
          row.get("from_status", String.class),
          row.get("from_block_number", Long.class),
          row.get("from_block_hash", String.class),
          row.get("from_tx_index", Integer.class),
          row.get("to_status", String.class),
          row.get("to_block_number", Long.class),
          row.get("to_block_hash", String.class),
          row.get("to_tx_index", Integer.class),
          row.get("reason", String.class),
          row.get("promise_chain", Long.class));
    }

    StatusEffect effect() {
      return new StatusEffect(
          Hash32.fromHex("preconfirmation_id", preconfirmationId),
          ChainId.of(promiseChain),
          Hash32.fromHex("tx_hash", txHash),
          sequence,
          Status.valueOf(fromStatus),
          StoredPreconfirmations.finality(fromBlockNumber, fromBlockHash, fromTxIndex),
          Status.valueOf(toStatus),
          StoredPreconfirmations.finality(toBlockNumber, toBlockHash, toTxIndex),
          reason);
    }
  }

  @Override
  public Uni<ChainView> view(ChainId chain, long number, Hash32 hash) {
    return pg.call(
        "reading chain " + chain + " around block " + number,
        () ->
            sessions.withSession(
                s ->
                    s.createNativeQuery(
                            "select version, head_number from chains where chain_id = :chain",
                            Tuple.class)
                        .setParameter("chain", chain.value())
                        .getSingleResultOrNull()
                        .chain(
                            row -> {
                              HeadRow head = row == null ? new HeadRow(0, -1) : HeadRow.from(row);
                              return s.createNativeQuery(
                                      "select "
                                          + BLOCK_COLUMNS
                                          + " from blocks where chain_id = :chain and (hash = :hash"
                                          + " or (canonical and number in (:n, :parent, :head)))",
                                      Tuple.class)
                                  .setParameter("chain", chain.value())
                                  .setParameter("hash", hash.toHex())
                                  .setParameter("n", number)
                                  .setParameter("parent", number - 1)
                                  .setParameter("head", head.headNumber())
                                  .getResultList()
                                  .map(rows -> view(chain, head, number, hash, blockRows(rows)));
                            })));
  }

  private static ChainView view(
      ChainId chain, HeadRow head, long number, Hash32 hash, List<BlockRow> rows) {
    Block atHead = null;
    SeenBlock same = null;
    Block atHeight = null;
    Block atParent = null;
    for (BlockRow r : rows) {
      Block b = r.block(chain);
      if (b.hash().equals(hash)) {
        same = new SeenBlock(b, r.canonical(), List.of());
      }
      if (r.canonical()) {
        if (b.number() == head.headNumber()) {
          atHead = b;
        }
        if (b.number() == number) {
          atHeight = b;
        }
        if (b.number() == number - 1) {
          atParent = b;
        }
      }
    }
    return new ChainView(chain, head.version(), atHead, same, atHeight, atParent);
  }

  @Override
  public Uni<List<SeenBlock>> canonicalFrom(ChainId chain, long number) {
    return pg.call(
        "reading the blocks of chain " + chain + " from " + number,
        () ->
            sessions.withSession(
                s ->
                    s.createNativeQuery(
                            "select "
                                + BLOCK_COLUMNS
                                + " from blocks where chain_id = :chain and canonical"
                                + " and number >= :n order by number",
                            Tuple.class)
                        .setParameter("chain", chain.value())
                        .setParameter("n", number)
                        .getResultList()
                        .chain(
                            rows -> {
                              List<Block> blocks =
                                  blockRows(rows).stream().map(r -> r.block(chain)).toList();
                              return s.createNativeQuery(
                                      "select e.block_hash, e.preconfirmation_id, p.tx_hash,"
                                          + " p.sequence, e.from_status, e.from_block_number,"
                                          + " e.from_block_hash, e.from_tx_index, e.to_status,"
                                          + " e.to_block_number, e.to_block_hash, e.to_tx_index,"
                                          + " e.reason, p.chain_id as promise_chain"
                                          + " from block_effects e"
                                          + " join preconfirmations p on p.id = e.preconfirmation_id"
                                          + " where e.chain_id = :chain"
                                          + " and e.block_hash = any(string_to_array(:hashes, ','))"
                                          + " order by e.block_hash, e.ordinal",
                                      Tuple.class)
                                  .setParameter("chain", chain.value())
                                  .setParameter(
                                      "hashes", joined(blocks.stream().map(Block::hash).toList()))
                                  .getResultList()
                                  .map(
                                      effects ->
                                          seen(
                                              blocks,
                                              effects.stream().map(EffectRow::from).toList()));
                            })));
  }

  private static List<SeenBlock> seen(List<Block> blocks, List<EffectRow> rows) {
    Map<String, List<StatusEffect>> byBlock = new LinkedHashMap<>();
    for (EffectRow r : rows) {
      byBlock.computeIfAbsent(r.blockHash(), k -> new ArrayList<>()).add(r.effect());
    }
    return blocks.stream()
        .map(b -> new SeenBlock(b, true, byBlock.getOrDefault(b.hash().toHex(), List.of())))
        .toList();
  }

  @Override
  public Uni<List<Block>> blocks(ChainId chain, Collection<Hash32> hashes) {
    return pg.call(
        "reading " + hashes.size() + " block(s) of chain " + chain,
        () ->
            sessions.withSession(
                s ->
                    s.createNativeQuery(
                            "select "
                                + BLOCK_COLUMNS
                                + " from blocks where chain_id = :chain"
                                + " and hash = any(string_to_array(:hashes, ','))",
                            Tuple.class)
                        .setParameter("chain", chain.value())
                        .setParameter("hashes", joined(hashes))
                        .getResultList()
                        .map(rows -> blockRows(rows).stream().map(r -> r.block(chain)).toList())));
  }

  @Override
  public Uni<List<TrackedPreconfirmation>> candidates(Candidates q) {
    String txs = joined(q.txHashes());
    return pg.call(
        "reading the promises block slot " + q.slot() + " of chain " + q.chain() + " touches",
        () ->
            sessions.withSession(
                s ->
                    s.createNativeQuery(
                            StoredPreconfirmations.trackedWhere(
                                "p.id in ("
                                    + " select id from preconfirmations where chain_id = :chain"
                                    + "   and tx_hash = any(string_to_array(:txs, ','))"
                                    + " union select id from preconfirmations"
                                    + "   where id = any(string_to_array(:ids, ','))"
                                    + " union (select o.id from preconfirmations o"
                                    + "   join commitments c on c.root = o.commitment_root"
                                    + "   where o.chain_id = :chain and ((o.status = 'PRECONFIRMED'"
                                    + "   and (o.target_slot < :slot or c.expires_at < :start))"
                                    + "   or (o.status = 'DELIVERY_FAILED' and c.expires_at < :start))"
                                    + "   order by o.target_slot limit :sweep)"
                                    + " union select id from preconfirmations where chain_id = :chain"
                                    + "   and block_number is not null and sequence > ("
                                    + "     select min(sequence) from preconfirmations"
                                    + "     where chain_id = :chain"
                                    + "     and tx_hash = any(string_to_array(:txs, ',')))"
                                    + " union select id from preconfirmations where chain_id = :chain"
                                    + "   and status = 'INCLUDED' and block_number <= :upTo"
                                    + ")"),
                            Tuple.class)
                        .setParameter("chain", q.chain().value())
                        .setParameter("txs", txs)
                        .setParameter("ids", joined(q.ids()))
                        .setParameter("slot", q.slot())
                        .setParameter("start", q.slotStartMs())
                        .setParameter("upTo", q.finalizeUpTo())
                        .setParameter("sweep", q.sweepLimit())
                        .getResultList()
                        .map(PgChainLedger::tracked)));
  }

  @Override
  public Uni<List<TrackedPreconfirmation>> bundleLegs(Collection<Hash32> roots) {
    return pg.call(
        "reading the legs of " + roots.size() + " atomic bundle(s)",
        () ->
            sessions.withSession(
                s ->
                    s.createNativeQuery(
                            StoredPreconfirmations.trackedWhere(
                                "p.commitment_root = any(string_to_array(:roots, ','))"),
                            Tuple.class)
                        .setParameter("roots", joined(roots))
                        .getResultList()
                        .map(PgChainLedger::tracked)));
  }

  private static List<TrackedPreconfirmation> tracked(List<Tuple> rows) {
    StoredPreconfirmations.Reader reader = StoredPreconfirmations.reader();
    return rows.stream().map(reader::tracked).toList();
  }

  private static List<BlockRow> blockRows(List<Tuple> rows) {
    return rows.stream().map(BlockRow::from).toList();
  }

  @Override
  public Uni<Void> commit(ReconcilePlan plan) {
    return writer.commit(plan);
  }

  /** The hashes as one comma-separated text parameter. */
  static String joined(Collection<Hash32> hashes) {
    return hashes.stream().map(Hash32::toHex).collect(Collectors.joining(","));
  }
}
