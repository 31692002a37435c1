package io.preconf.infra.pg;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.preconf.core.commit.Finality;
import io.preconf.core.commit.Status;
import io.preconf.core.commit.TrackedPreconfirmation;
import io.preconf.core.finality.Block;
import io.preconf.core.finality.ChainView;
import io.preconf.core.finality.ReconcilePlan;
import io.preconf.core.finality.RecordedViolation;
import io.preconf.core.finality.SeenBlock;
import io.preconf.core.finality.StatusEffect;
import io.preconf.core.finality.Violation;
import io.preconf.core.finality.ViolationKind;
import io.preconf.core.port.ChainLedger;
import io.preconf.core.port.ViolationQuery;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.preconf.wire.EvidenceCodec;
import io.preconf.wire.FinalityCodec;
import io.preconf.wire.HashList;
import io.preconf.wire.PreconfirmationCodec;
import io.smallrye.mutiny.Uni;
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
 * preconfirmations}. A plan is written in one transaction under a row lock on the chain, and only
 * if the chain's version is still the one the plan was judged against.
 *
 * <p>Lists of hashes travel as one comma-separated text parameter split in SQL, so that an empty
 * list needs no special case.
 */
public final class PgFinality implements ChainLedger, ViolationQuery {
  private static final String BLOCK_COLUMNS =
      "hash, number, parent_hash, slot, transactions::text, canonical";

  private final Mutiny.SessionFactory sessions;
  private final PgCalls pg;

  public PgFinality(Mutiny.SessionFactory sessions, PgCalls pg) {
    this.sessions = sessions;
    this.pg = pg;
  }

  // ------------------------------------------------------------------ reads

  @Override
  public Uni<ChainView> view(ChainId chain, long number, Hash32 hash) {
    return pg.call(
        "reading chain " + chain + " around block " + number,
        () ->
            sessions.withSession(
                s ->
                    s.createNativeQuery(
                            "select version, head_number from chains where chain_id = :chain",
                            Object[].class)
                        .setParameter("chain", chain.value())
                        .getSingleResultOrNull()
                        .chain(
                            head -> {
                              long version = head == null ? 0 : num(head[0]);
                              long headNumber = head == null ? -1 : num(head[1]);
                              return s.createNativeQuery(
                                      "select "
                                          + BLOCK_COLUMNS
                                          + " from blocks where chain_id = :chain and (hash = :hash"
                                          + " or (canonical and number in (:n, :parent, :head)))",
                                      Object[].class)
                                  .setParameter("chain", chain.value())
                                  .setParameter("hash", hash.toHex())
                                  .setParameter("n", number)
                                  .setParameter("parent", number - 1)
                                  .setParameter("head", headNumber)
                                  .getResultList()
                                  .map(
                                      rows -> view(chain, version, headNumber, number, hash, rows));
                            })));
  }

  private static ChainView view(
      ChainId chain, long version, long headNumber, long number, Hash32 hash, List<Object[]> rows) {
    Block head = null;
    SeenBlock same = null;
    Block atHeight = null;
    Block atParent = null;
    for (Object[] r : rows) {
      Block b = block(chain, r);
      boolean canonical = (Boolean) r[5];
      if (b.hash().equals(hash)) {
        same = new SeenBlock(b, canonical, List.of());
      }
      if (canonical) {
        if (b.number() == headNumber) {
          head = b;
        }
        if (b.number() == number) {
          atHeight = b;
        }
        if (b.number() == number - 1) {
          atParent = b;
        }
      }
    }
    return new ChainView(chain, version, head, same, atHeight, atParent);
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
                            Object[].class)
                        .setParameter("chain", chain.value())
                        .setParameter("n", number)
                        .getResultList()
                        .chain(
                            rows -> {
                              List<Block> blocks = rows.stream().map(r -> block(chain, r)).toList();
                              return s.createNativeQuery(
                                      "select e.block_hash, e.preconfirmation_id, p.tx_hash,"
                                          + " p.sequence, e.from_status, e.from_block_number,"
                                          + " e.from_block_hash, e.from_tx_index, e.to_status,"
                                          + " e.to_block_number, e.to_block_hash, e.to_tx_index,"
                                          + " e.reason"
                                          + " from block_effects e"
                                          + " join preconfirmations p on p.id = e.preconfirmation_id"
                                          + " where e.chain_id = :chain"
                                          + " and e.block_hash = any(string_to_array(:hashes, ','))"
                                          + " order by e.block_hash, e.ordinal",
                                      Object[].class)
                                  .setParameter("chain", chain.value())
                                  .setParameter(
                                      "hashes", joined(blocks.stream().map(Block::hash).toList()))
                                  .getResultList()
                                  .map(effects -> seen(chain, blocks, effects));
                            })));
  }

  private static List<SeenBlock> seen(ChainId chain, List<Block> blocks, List<Object[]> rows) {
    Map<String, List<StatusEffect>> byBlock = new LinkedHashMap<>();
    for (Object[] r : rows) {
      byBlock
          .computeIfAbsent((String) r[0], k -> new ArrayList<>())
          .add(
              new StatusEffect(
                  Hash32.fromHex("preconfirmation_id", (String) r[1]),
                  chain,
                  Hash32.fromHex("tx_hash", (String) r[2]),
                  num(r[3]),
                  Status.valueOf((String) r[4]),
                  finality(r[5], r[6], r[7]),
                  Status.valueOf((String) r[8]),
                  finality(r[9], r[10], r[11]),
                  (String) r[12]));
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
                            Object[].class)
                        .setParameter("chain", chain.value())
                        .setParameter("hashes", joined(hashes))
                        .getResultList()
                        .map(rows -> rows.stream().map(r -> block(chain, r)).toList())));
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
                            "select p.json::text, p.status, p.block_number, p.block_hash,"
                                + " p.tx_index from preconfirmations p where p.id in ("
                                + " select id from preconfirmations where chain_id = :chain"
                                + "   and tx_hash = any(string_to_array(:txs, ','))"
                                + " union select id from preconfirmations where chain_id = :chain"
                                + "   and id = any(string_to_array(:ids, ','))"
                                + " union (select o.id from preconfirmations o"
                                + "   join commitments c on c.root = o.commitment_root"
                                + "   where o.chain_id = :chain and o.status = 'PRECONFIRMED'"
                                + "   and (o.target_slot < :slot or c.expires_at < :start)"
                                + "   order by o.target_slot limit :sweep)"
                                + " union select id from preconfirmations where chain_id = :chain"
                                + "   and block_number is not null and sequence > ("
                                + "     select min(sequence) from preconfirmations"
                                + "     where chain_id = :chain"
                                + "     and tx_hash = any(string_to_array(:txs, ',')))"
                                + " union select id from preconfirmations where chain_id = :chain"
                                + "   and status = 'INCLUDED' and block_number <= :upTo"
                                + ")",
                            Object[].class)
                        .setParameter("chain", q.chain().value())
                        .setParameter("txs", txs)
                        .setParameter("ids", joined(q.ids()))
                        .setParameter("slot", q.slot())
                        .setParameter("start", q.slotStartMs())
                        .setParameter("upTo", q.finalizeUpTo())
                        .setParameter("sweep", q.sweepLimit())
                        .getResultList()
                        .map(rows -> rows.stream().map(PgFinality::tracked).toList())));
  }

  private static TrackedPreconfirmation tracked(Object[] r) {
    return new TrackedPreconfirmation(
        PreconfirmationCodec.fromJson((String) r[0]),
        Status.valueOf((String) r[1]),
        finality(r[2], r[3], r[4]));
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
                                + " v.evidence, (extract(epoch from v.detected_at) * 1000)::bigint,"
                                + " v.retracted_at is not null"
                                + " from violations v"
                                + " join preconfirmations p on p.id = v.preconfirmation_id"
                                + " where p.chain_id = :chain and p.tx_hash = :tx"
                                + " and v.evidence is not null order by v.id",
                            Object[].class)
                        .setParameter("chain", chain.value())
                        .setParameter("tx", txHash.toHex())
                        .getResultList()
                        .map(
                            rows ->
                                rows.stream()
                                    .map(
                                        r ->
                                            new RecordedViolation(
                                                Hash32.fromHex("preconfirmation_id", (String) r[0]),
                                                ViolationKind.valueOf((String) r[1]),
                                                Hash32.fromHex("block_hash", (String) r[2]),
                                                (String) r[3],
                                                (String) r[4],
                                                num(r[5]),
                                                (Boolean) r[6]))
                                    .toList())));
  }

  // ------------------------------------------------------------------ the write

  @Override
  public Uni<Void> commit(ReconcilePlan plan) {
    Block block = plan.block();
    ChainId chain = block.chainId();
    // Like the issuing path: a caller told "failed" must not see the write land afterwards, so the
    // transaction runs under a statement deadline and refuses to commit once it has passed.
    long budgetMs = pg.timeout().toMillis() * 9 / 10;
    long deadline = System.nanoTime() + budgetMs * 1_000_000;
    return pg.call(
        "recording " + block,
        () ->
            sessions.withTransaction(
                (s, tx) -> {
                  Uni<Void> steps =
                      update(s, "set local statement_timeout = " + budgetMs, Map.of())
                          .chain(
                              () ->
                                  update(
                                      s,
                                      "insert into chains (chain_id, version, head_number, head_hash)"
                                          + " values (:chain, 0, -1, '') on conflict do nothing",
                                      Map.of("chain", chain.value())))
                          .chain(
                              () ->
                                  s.createNativeQuery(
                                          "select version from chains where chain_id = :chain"
                                              + " for update",
                                          Long.class)
                                      .setParameter("chain", chain.value())
                                      .getSingleResult())
                          .invoke(
                              version -> {
                                if (version != plan.expectedVersion()) {
                                  throw new ChainMoved(chain, plan.expectedVersion(), version);
                                }
                              })
                          .replaceWithVoid();
                  if (plan.reorg() != null) {
                    steps = steps.chain(() -> orphan(s, plan));
                  }
                  for (StatusEffect e : plan.undone()) {
                    steps = steps.chain(() -> apply(s, e, block));
                  }
                  steps = steps.chain(() -> recordBlock(s, block));
                  for (int i = 0; i < plan.effects().size(); i++) {
                    StatusEffect e = plan.effects().get(i);
                    int ordinal = i;
                    steps =
                        steps
                            .chain(() -> apply(s, e, block))
                            .chain(() -> recordEffect(s, block, ordinal, e));
                  }
                  for (Violation v : plan.violations()) {
                    steps = steps.chain(() -> recordViolation(s, v));
                  }
                  return steps
                      .chain(
                          () ->
                              update(
                                  s,
                                  "update chains set version = version + 1, head_number = :n,"
                                      + " head_hash = :hash, updated_at = now()"
                                      + " where chain_id = :chain",
                                  Map.of(
                                      "n", block.number(),
                                      "hash", block.hash().toHex(),
                                      "chain", chain.value())))
                      .invoke(
                          () -> {
                            if (System.nanoTime() - deadline > 0) {
                              throw new IllegalStateException(
                                  "the transaction outlasted its "
                                      + budgetMs
                                      + " ms and was rolled back");
                            }
                          });
                }));
  }

  private static Uni<Void> orphan(Mutiny.Session s, ReconcilePlan plan) {
    ChainId chain = plan.block().chainId();
    String hashes = joined(plan.reorg().orphaned());
    Map<String, Object> replaced = new LinkedHashMap<>();
    replaced.put("chain", chain.value());
    replaced.put("height", plan.reorg().height());
    replaced.put(
        "replaced", plan.reorg().replaced() == null ? null : plan.reorg().replaced().toHex());
    replaced.put("replacement", plan.reorg().replacement().toHex());
    replaced.put("orphaned", HashList.toJson(plan.reorg().orphaned()));
    return update(
            s,
            "update blocks set canonical = false, orphaned_at = now()"
                + " where chain_id = :chain and hash = any(string_to_array(:hashes, ','))",
            Map.of("chain", chain.value(), "hashes", hashes))
        .chain(
            () ->
                update(
                    s,
                    "update violations set retracted_at = now() where chain_id = :chain"
                        + " and block_hash = any(string_to_array(:hashes, ','))"
                        + " and retracted_at is null",
                    Map.of("chain", chain.value(), "hashes", hashes)))
        .chain(
            () ->
                update(
                    s,
                    "insert into reorgs (chain_id, height, replaced, replacement, orphaned)"
                        + " values (:chain, :height, cast(:replaced as varchar), :replacement,"
                        + " cast(cast(:orphaned as text) as jsonb))",
                    replaced));
  }

  /** Moves one promise and notes it in its status history; refuses if it is not where expected. */
  private static Uni<Void> apply(Mutiny.Session s, StatusEffect e, Block cause) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("id", e.preconfirmationId().toHex());
    p.put("from", e.fromStatus().name());
    p.put("to", e.toStatus().name());
    p.put("number", e.toFinality() == null ? null : e.toFinality().blockNumber());
    p.put("hash", e.toFinality() == null ? null : e.toFinality().blockHash().toHex());
    p.put("index", e.toFinality() == null ? null : e.toFinality().index());
    ObjectNode detail = JsonNodeFactory.instance.objectNode();
    detail.put("reason", e.reason());
    detail.put("cause", cause.hash().toHex());
    detail.put("causeNumber", cause.number());
    if (e.toFinality() != null) {
      detail.set("finality", FinalityCodec.toTree(e.toFinality()));
    }
    return s.createNativeQuery(
            "update preconfirmations set status = :to, block_number = cast(:number as bigint),"
                + " block_hash = cast(:hash as varchar), tx_index = cast(:index as integer)"
                + " where id = :id and status = :from")
        .setParameter("id", p.get("id"))
        .setParameter("from", p.get("from"))
        .setParameter("to", p.get("to"))
        .setParameter("number", p.get("number"))
        .setParameter("hash", p.get("hash"))
        .setParameter("index", p.get("index"))
        .executeUpdate()
        .invoke(
            n -> {
              if (n != 1) {
                throw new IllegalStateException(
                    "promise "
                        + e.txHash()
                        + " is no longer "
                        + e.fromStatus()
                        + "; nothing written");
              }
            })
        .chain(
            () ->
                update(
                    s,
                    "insert into status_history (preconfirmation_id, status, detail)"
                        + " values (:id, :status, cast(cast(:detail as text) as jsonb))",
                    Map.of(
                        "id", e.preconfirmationId().toHex(),
                        "status", e.toStatus().name(),
                        "detail", detail.toString())));
  }

  private static Uni<Void> recordBlock(Mutiny.Session s, Block b) {
    // A block orphaned earlier may come back: it takes its place again with new effects.
    return update(
            s,
            "insert into blocks (chain_id, hash, number, parent_hash, slot, transactions, canonical)"
                + " values (:chain, :hash, :number, :parent, :slot,"
                + " cast(cast(:txs as text) as jsonb), true)"
                + " on conflict (chain_id, hash) do update set canonical = true, orphaned_at = null",
            Map.of(
                "chain", b.chainId().value(),
                "hash", b.hash().toHex(),
                "number", b.number(),
                "parent", b.parentHash().toHex(),
                "slot", b.slot(),
                "txs", HashList.toJson(b.transactions())))
        .chain(
            () ->
                update(
                    s,
                    "delete from block_effects where chain_id = :chain and block_hash = :hash",
                    Map.of("chain", b.chainId().value(), "hash", b.hash().toHex())));
  }

  private static Uni<Void> recordEffect(Mutiny.Session s, Block b, int ordinal, StatusEffect e) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("chain", b.chainId().value());
    p.put("block", b.hash().toHex());
    p.put("ordinal", ordinal);
    p.put("id", e.preconfirmationId().toHex());
    p.put("fromStatus", e.fromStatus().name());
    p.put("fromNumber", e.fromFinality() == null ? null : e.fromFinality().blockNumber());
    p.put("fromHash", e.fromFinality() == null ? null : e.fromFinality().blockHash().toHex());
    p.put("fromIndex", e.fromFinality() == null ? null : e.fromFinality().index());
    p.put("toStatus", e.toStatus().name());
    p.put("toNumber", e.toFinality() == null ? null : e.toFinality().blockNumber());
    p.put("toHash", e.toFinality() == null ? null : e.toFinality().blockHash().toHex());
    p.put("toIndex", e.toFinality() == null ? null : e.toFinality().index());
    p.put("reason", e.reason());
    return update(
        s,
        "insert into block_effects (chain_id, block_hash, ordinal, preconfirmation_id,"
            + " from_status, from_block_number, from_block_hash, from_tx_index,"
            + " to_status, to_block_number, to_block_hash, to_tx_index, reason)"
            + " values (:chain, :block, :ordinal, :id, :fromStatus, cast(:fromNumber as bigint),"
            + " cast(:fromHash as varchar), cast(:fromIndex as integer), :toStatus,"
            + " cast(:toNumber as bigint), cast(:toHash as varchar), cast(:toIndex as integer),"
            + " :reason)",
        p);
  }

  private static Uni<Void> recordViolation(Mutiny.Session s, Violation v) {
    return update(
        s,
        "insert into violations (preconfirmation_id, kind, detail, chain_id, block_hash, evidence)"
            + " values (:id, :kind, :detail, :chain, :block, :evidence)",
        Map.of(
            "id", v.preconfirmation().id().toHex(),
            "kind", v.kind().name(),
            "detail", v.reason(),
            "chain", v.preconfirmation().chainId().value(),
            "block", v.blockHash().toHex(),
            "evidence", EvidenceCodec.toJson(v.evidence())));
  }

  // ------------------------------------------------------------------ helpers

  private static Uni<Void> update(Mutiny.Session s, String sql, Map<String, Object> params) {
    Mutiny.MutationQuery q = s.createNativeQuery(sql);
    params.forEach(q::setParameter);
    return q.executeUpdate().replaceWithVoid();
  }

  private static Block block(ChainId chain, Object[] r) {
    List<Hash32> txs = HashList.fromJson("transactions of stored block " + r[0], (String) r[4]);
    return new Block(
        chain,
        num(r[1]),
        Hash32.fromHex("hash", (String) r[0]),
        Hash32.fromHex("parent_hash", (String) r[2]),
        num(r[3]),
        txs);
  }

  private static Finality finality(Object number, Object hash, Object index) {
    if (number == null) {
      return null;
    }
    return new Finality(
        num(number),
        Hash32.fromHex("block_hash", (String) hash),
        index == null ? 0 : (int) num(index));
  }

  private static long num(Object o) {
    return ((Number) o).longValue();
  }

  private static String joined(Collection<Hash32> hashes) {
    return hashes.stream().map(Hash32::toHex).collect(Collectors.joining(","));
  }
}
