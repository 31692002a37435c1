package io.preconf.infra.pg;

import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.port.LanePosition;
import io.preconf.core.types.Address;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.preconf.infra.json.PreconfirmationJson;
import io.preconf.infra.redis.LaneHistory;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Issued preconfirmations in PostgreSQL, through Hibernate Reactive. The durable record: what is
 * here was promised, and the unique constraints make a second promise for the same transaction,
 * lane position or (sender, nonce) impossible even if every layer above got it wrong.
 *
 * <p>Calls go through {@link PgCalls}: any thread may call, and failures are bounded and coded.
 */
public final class PgPreconfirmations implements LaneHistory {
  private final Mutiny.SessionFactory sessions;
  private final PgCalls pg;

  public PgPreconfirmations(Mutiny.SessionFactory sessions, PgCalls pg) {
    this.sessions = sessions;
    this.pg = pg;
  }

  /**
   * Records every preconfirmation given, with its commitment and a first status, in one
   * transaction. Recording the same preconfirmations again is a no-op, so a retry after an
   * uncertain failure is safe.
   */
  public Uni<Void> record(List<Preconfirmation> issued) {
    if (issued.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    List<String> ids = issued.stream().map(p -> p.id().toHex()).toList();
    // A caller told "failed" must be able to rely on nothing having been recorded: it voids the
    // positions and the transactions may come again. So the transaction must not commit after
    // the caller's wait is over: PostgreSQL cancels any statement that runs into the deadline,
    // and the last step refuses to commit once the deadline has passed.
    long budgetMs = pg.timeout().toMillis() * 9 / 10;
    long deadline = System.nanoTime() + budgetMs * 1_000_000;
    return pg.call(
        "recording " + issued.size() + " preconfirmation(s)",
        () ->
            sessions.withTransaction(
                (s, tx) ->
                    s.createNativeQuery("set local statement_timeout = " + budgetMs)
                        .executeUpdate()
                        .chain(
                            () ->
                                s.createSelectionQuery(
                                        "select p.id from PreconfirmationRow p where p.id in :ids",
                                        String.class)
                                    .setParameter("ids", ids)
                                    .getResultList())
                        .chain(
                            present ->
                                present.size() == ids.size()
                                    ? Uni.createFrom().voidItem()
                                    : insert(s, issued))
                        .invoke(
                            () -> {
                              if (System.nanoTime() - deadline > 0) {
                                throw new IllegalStateException(
                                    "the transaction outlasted its "
                                        + budgetMs
                                        + " ms and was rolled back");
                              }
                            })));
  }

  private static Uni<Void> insert(Mutiny.Session s, List<Preconfirmation> issued) {
    Instant now = Instant.now();
    Map<String, CommitmentRow> commitments = new LinkedHashMap<>();
    for (Preconfirmation p : issued) {
      commitments.computeIfAbsent(
          p.commitment().root().toHex(), root -> CommitmentRow.of(p.commitment(), now));
    }
    List<Object> rows = new ArrayList<>(issued.size() * 2);
    for (Preconfirmation p : issued) {
      PreconfirmationRow row = PreconfirmationRow.of(p, now);
      rows.add(row);
      rows.add(StatusChangeRow.of(row.id, row.status, now));
    }
    // One after another: a Hibernate session runs one operation at a time.
    Uni<Void> chain = Uni.createFrom().voidItem();
    for (CommitmentRow c : commitments.values()) {
      chain =
          chain
              .chain(() -> s.find(CommitmentRow.class, c.root))
              .chain(found -> found != null ? Uni.createFrom().voidItem() : s.persist(c));
    }
    return chain.chain(() -> s.persistAll(rows.toArray())).chain(s::flush);
  }

  /** The preconfirmation recorded for a transaction, if any. */
  public Uni<Optional<Preconfirmation>> find(ChainId chain, Hash32 txHash) {
    return pg.call(
            "looking up tx " + txHash + " on chain " + chain,
            () ->
                sessions.withSession(
                    s ->
                        s.createSelectionQuery(
                                "select p.json from PreconfirmationRow p"
                                    + " where p.chainId = :chain and p.txHash = :tx",
                                String.class)
                            .setParameter("chain", chain.value())
                            .setParameter("tx", txHash.toHex())
                            .getSingleResultOrNull()))
        .onItem()
        .transform(json -> Optional.ofNullable(json).map(PreconfirmationJson::fromJson));
  }

  /**
   * Up to {@code max} recorded preconfirmations of a lane from {@code fromSequence} on, in lane
   * order: what a feed reader fills a gap in the Redis log with, or replays from when the log was
   * trimmed. Void sequences have no row and are simply absent.
   */
  public Uni<List<Preconfirmation>> lane(ChainId chain, long fromSequence, int max) {
    return pg.call(
            "reading lane " + chain + " from sequence " + fromSequence,
            () ->
                sessions.withSession(
                    s ->
                        s.createSelectionQuery(
                                "select p.json from PreconfirmationRow p"
                                    + " where p.chainId = :chain and p.sequence >= :from"
                                    + " order by p.sequence",
                                String.class)
                            .setParameter("chain", chain.value())
                            .setParameter("from", fromSequence)
                            .setMaxResults(max)
                            .getResultList()))
        .onItem()
        .transform(rows -> rows.stream().map(PreconfirmationJson::fromJson).toList());
  }

  @Override
  public Uni<LaneSnapshot> snapshot(ChainId chain) {
    return pg.call(
        "reading the history of lane " + chain,
        () ->
            sessions.withSession(
                s ->
                    s.createNativeQuery(
                            "select sequence, tx_hash, received_at from ("
                                + " select sequence, tx_hash, received_at from preconfirmations"
                                + " where chain_id = :chain"
                                + " union all"
                                + " select sequence, tx_hash, received_at from void_positions"
                                + " where chain_id = :chain"
                                + ") used order by sequence desc limit 1",
                            Object[].class)
                        .setParameter("chain", chain.value())
                        .getSingleResultOrNull()
                        .onItem()
                        .transformToUni(
                            head ->
                                s.createSelectionQuery(
                                        "select p.txHash, p.sender, p.nonce, p.sequence,"
                                            + " p.targetSlot, p.receivedAt"
                                            + " from PreconfirmationRow p where p.chainId = :chain",
                                        Object[].class)
                                    .setParameter("chain", chain.value())
                                    .getResultList()
                                    .onItem()
                                    .transform(claims -> snapshot(chain, head, claims)))));
  }

  private static LaneSnapshot snapshot(ChainId chain, Object[] head, List<Object[]> rows) {
    if (head == null) {
      return LaneSnapshot.empty(chain);
    }
    List<HeldClaim> claims = new ArrayList<>(rows.size());
    for (Object[] r : rows) {
      claims.add(
          new HeldClaim(
              Hash32.fromHex("tx_hash", (String) r[0]),
              Address.fromHex("sender", (String) r[1]),
              ((Number) r[2]).longValue(),
              ((Number) r[3]).longValue(),
              ((Number) r[4]).longValue(),
              ((Number) r[5]).longValue()));
    }
    return new LaneSnapshot(
        chain,
        ((Number) head[0]).longValue(),
        Hash32.fromHex("tx_hash", (String) head[1]),
        ((Number) head[2]).longValue(),
        claims);
  }

  @Override
  public Uni<Void> recordVoid(List<LanePosition> positions) {
    if (positions.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return pg.call(
        "recording " + positions.size() + " void lane position(s)",
        () ->
            sessions.withTransaction(
                (s, tx) -> {
                  Uni<Void> chain = Uni.createFrom().voidItem();
                  for (LanePosition p : positions) {
                    chain =
                        chain.chain(
                            () ->
                                s.createNativeQuery(
                                        "insert into void_positions"
                                            + " (chain_id, sequence, tx_hash, received_at)"
                                            + " values (:chain, :seq, :tx, :at)"
                                            + " on conflict do nothing")
                                    .setParameter("chain", p.chainId().value())
                                    .setParameter("seq", p.sequence())
                                    .setParameter("tx", p.txHash().toHex())
                                    .setParameter("at", p.receivedAt())
                                    .executeUpdate()
                                    .replaceWithVoid());
                  }
                  return chain;
                }));
  }
}
