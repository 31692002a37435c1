package io.preconf.infra.pg;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.preconf.core.finality.Block;
import io.preconf.core.finality.ReconcilePlan;
import io.preconf.core.finality.StatusEffect;
import io.preconf.core.finality.Violation;
import io.preconf.core.port.ChainLedger.ChainMoved;
import io.preconf.core.types.ChainId;
import io.preconf.wire.EvidenceCodec;
import io.preconf.wire.FinalityCodec;
import io.preconf.wire.HashList;
import io.smallrye.mutiny.Uni;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Writes a reconciliation plan to the finality ledger in one transaction: the chain's row is locked
 * and its version checked first; then come the reorg, the undone effects, the block with its new
 * effects and the violations; the chain's new head and version last.
 */
final class PgPlanWriter {
  private final Mutiny.SessionFactory sessions;
  private final PgCalls pg;

  PgPlanWriter(Mutiny.SessionFactory sessions, PgCalls pg) {
    this.sessions = sessions;
    this.pg = pg;
  }

  Uni<Void> commit(ReconcilePlan plan) {
    Block block = plan.block();
    ChainId chain = block.chainId();
    // Like the issuing path: a caller told "failed" must not see the write land afterwards.
    TransactionBudget budget = TransactionBudget.of(pg);
    return pg.call(
        "recording " + block,
        () ->
            sessions.withTransaction(
                (s, tx) -> {
                  Uni<Void> steps =
                      update(s, budget.statementTimeout(), Map.of())
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
                    steps = steps.chain(() -> recordViolation(s, block, v));
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
                      .invoke(budget::refuseCommitIfOver);
                }));
  }

  private static Uni<Void> orphan(Mutiny.Session s, ReconcilePlan plan) {
    ChainId chain = plan.block().chainId();
    String hashes = PgChainLedger.joined(plan.reorg().orphaned());
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

  /** Kept under the chain of the block that showed it, which a reorg there retracts it with. */
  private static Uni<Void> recordViolation(Mutiny.Session s, Block shownBy, Violation v) {
    return update(
        s,
        "insert into violations (preconfirmation_id, kind, detail, chain_id, block_hash, evidence)"
            + " values (:id, :kind, :detail, :chain, :block, :evidence)",
        Map.of(
            "id", v.preconfirmation().id().toHex(),
            "kind", v.kind().name(),
            "detail", v.reason(),
            "chain", shownBy.chainId().value(),
            "block", v.blockHash().toHex(),
            "evidence", EvidenceCodec.toJson(v.evidence())));
  }

  private static Uni<Void> update(Mutiny.Session s, String sql, Map<String, Object> params) {
    Mutiny.MutationQuery q = s.createNativeQuery(sql);
    params.forEach(q::setParameter);
    return q.executeUpdate().replaceWithVoid();
  }
}
