package io.preconf.infra.pg;

import io.preconf.core.commit.Commitment;
import io.preconf.core.commit.Leaf;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.commit.PromisedTransaction;
import io.preconf.core.port.LanePosition;
import io.preconf.core.types.Address;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.preconf.infra.redis.LaneHistory;
import io.preconf.wire.HashList;
import io.preconf.wire.PreconfirmationCodec;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
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
  private final Pool pool;
  private final PgCalls pg;

  /**
   * @param pool the reactive client's pool for the same database, for the write on every preconfirm
   */
  public PgPreconfirmations(Mutiny.SessionFactory sessions, Pool pool, PgCalls pg) {
    this.sessions = sessions;
    this.pool = pool;
    this.pg = pg;
  }

  /**
   * Records every preconfirmation given, with its signed transaction, its commitment and a first
   * status, in one transaction. Recording the same preconfirmations again is a no-op, so a retry
   * after an uncertain failure is safe.
   *
   * <p>This is the one write on every preconfirm, so it is one SQL statement on the reactive client
   * rather than entity operations: under Hibernate Reactive it cost the engine more CPU than
   * signing the commitment (profiled with bench/e2e.sh). The rows and their columns are the ones
   * the entities map.
   */
  public Uni<Void> record(List<PromisedTransaction> issued) {
    if (issued.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    TransactionBudget budget = TransactionBudget.of(pg);
    Tuple rows = recordTuple(issued, OffsetDateTime.now(ZoneOffset.UTC));
    return pg.call(
        "recording " + issued.size() + " preconfirmation(s)",
        () ->
            pool.withConnection(
                conn ->
                    // begin, the timeout and the insert go out together (the client pipelines
                    // them): one round trip instead of three before the commit.
                    Uni.combine()
                        .all()
                        .unis(
                            conn.query("begin").execute(),
                            conn.query(budget.statementTimeout()).execute(),
                            conn.preparedQuery(RECORD).execute(rows))
                        .discardItems()
                        .invoke(budget::refuseCommitIfOver)
                        .call(() -> conn.query("commit").execute())
                        .onFailure()
                        .call(() -> conn.query("rollback").execute().onFailure().recoverWithNull())
                        .replaceWithVoid()));
  }

  /**
   * Commitments first (once per root), then the preconfirmations that are not there yet, then a
   * first status for each one inserted. Conflicts on the id are a retry and insert nothing; the
   * other unique constraints (transaction, lane position, sender and nonce) still fail the
   * statement, as they must.
   */
  private static final String RECORD =
      "with c as ("
          + " insert into commitments"
          + " (root, issued_at, expires_at, atomic, signer, signature, pq_signature, recorded_at)"
          + " select distinct on (root) * from unnest($1::varchar[], $2::bigint[], $3::bigint[],"
          + " $4::boolean[], $5::varchar[], $6::text[], $7::text[])"
          + " as t(root, issued_at, expires_at, atomic, signer, signature, pq_signature)"
          + " cross join (select $19::timestamptz) as n(recorded_at)"
          + " on conflict (root) do nothing"
          + "), p as ("
          + " insert into preconfirmations"
          + " (id, chain_id, tx_hash, sender, nonce, sequence, previous, received_at, target_slot,"
          + " proof, commitment_root, status, json, signed_tx, recorded_at)"
          + " select id, chain_id, tx_hash, sender, nonce, sequence, previous, received_at,"
          + " target_slot, proof::jsonb, commitment_root, 'PRECONFIRMED', json::jsonb, signed_tx,"
          + " $19"
          + " from unnest($8::varchar[], $9::bigint[], $10::varchar[], $11::varchar[],"
          + " $12::bigint[], $13::bigint[], $14::varchar[], $15::bigint[], $16::bigint[],"
          + " $17::text[], $1::varchar[], $18::text[], $20::text[])"
          + " as t(id, chain_id, tx_hash, sender, nonce, sequence, previous, received_at,"
          + " target_slot, proof, commitment_root, json, signed_tx)"
          + " on conflict (id) do nothing"
          + " returning id, status"
          + ")"
          + " insert into status_history (preconfirmation_id, status, changed_at)"
          + " select id, status, $19 from p";

  private static Tuple recordTuple(List<PromisedTransaction> issued, OffsetDateTime now) {
    int n = issued.size();
    String[] signedTx = new String[n];
    String[] root = new String[n];
    Long[] issuedAt = new Long[n];
    Long[] expiresAt = new Long[n];
    Boolean[] atomic = new Boolean[n];
    String[] signer = new String[n];
    String[] signature = new String[n];
    String[] pqSignature = new String[n];
    String[] id = new String[n];
    Long[] chainId = new Long[n];
    String[] txHash = new String[n];
    String[] sender = new String[n];
    Long[] nonce = new Long[n];
    Long[] sequence = new Long[n];
    String[] previous = new String[n];
    Long[] receivedAt = new Long[n];
    Long[] targetSlot = new Long[n];
    String[] proof = new String[n];
    String[] json = new String[n];
    // Every leg of a request shares one commitment: hex-encode its signatures once.
    Commitment last = null;
    for (int i = 0; i < n; i++) {
      Preconfirmation p = issued.get(i).preconfirmation();
      signedTx[i] = issued.get(i).signedTransaction().toHex();
      Commitment c = p.commitment();
      if (c != last) {
        root[i] = c.root().toHex();
        signer[i] = c.signer().toHex();
        signature[i] = c.signature().toHex();
        pqSignature[i] = c.hasPqSignature() ? c.pqSignature().toHex() : null;
        last = c;
      } else {
        root[i] = root[i - 1];
        signer[i] = signer[i - 1];
        signature[i] = signature[i - 1];
        pqSignature[i] = pqSignature[i - 1];
      }
      issuedAt[i] = c.issuedAt();
      expiresAt[i] = c.expiresAt();
      atomic[i] = c.atomic();
      Leaf leaf = p.leaf();
      id[i] = p.id().toHex();
      chainId[i] = leaf.chainId().value();
      txHash[i] = leaf.txHash().toHex();
      sender[i] = leaf.sender().toHex();
      nonce[i] = leaf.nonce();
      sequence[i] = leaf.sequence();
      previous[i] = leaf.previous().toHex();
      receivedAt[i] = leaf.receivedAt();
      targetSlot[i] = leaf.targetSlot();
      proof[i] = HashList.toJson(p.proof());
      json[i] = PreconfirmationCodec.toJson(p);
    }
    return Tuple.from(
        new Object[] {
          root,
          issuedAt,
          expiresAt,
          atomic,
          signer,
          signature,
          pqSignature,
          id,
          chainId,
          txHash,
          sender,
          nonce,
          sequence,
          previous,
          receivedAt,
          targetSlot,
          proof,
          json,
          now,
          signedTx
        });
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
        .transform(json -> Optional.ofNullable(json).map(PreconfirmationCodec::fromJson));
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
        .transform(rows -> rows.stream().map(PreconfirmationCodec::fromJson).toList());
  }

  @Override
  public Uni<LaneSnapshot> snapshot(ChainId chain, long claimedSince) {
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
                                            + " from PreconfirmationRow p where p.chainId = :chain"
                                            + " and p.receivedAt >= :since",
                                        Object[].class)
                                    .setParameter("chain", chain.value())
                                    .setParameter("since", claimedSince)
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
