package io.preconf.infra.pg;

import io.preconf.core.commit.Commitment;
import io.preconf.core.commit.Leaf;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.commit.PromisedTransaction;
import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.RejectedException;
import io.preconf.core.error.Rejection;
import io.preconf.core.error.Result;
import io.preconf.core.port.LanePosition;
import io.preconf.core.tx.DecodedTransaction;
import io.preconf.core.tx.TransactionDecoder;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.preconf.infra.redis.LaneHistory;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
   * Records every preconfirmation given, with its signed transaction and its commitment, in one
   * transaction. Recording the same preconfirmations again is a no-op, so a retry after an
   * uncertain failure is safe.
   *
   * <p>This is the one write on every preconfirm, so it is one SQL statement on the reactive client
   * rather than entity operations: under Hibernate Reactive it cost the engine more CPU than
   * signing the commitment (profiled with bench/e2e.sh). The rows and their columns are the ones
   * the entities map.
   *
   * <p>The whole transaction is one round trip: begin, the timeout, the positions' locks, the
   * record and the commit go out together, and the client runs them in this order. So nothing waits
   * on this side between the record and the commit: the record itself writes nothing when one of
   * its positions is void (and names them, for the refusal), and the timeouts bound what runs
   * before the commit by what is left of the call's budget ({@link
   * #LOCK_POSITIONS_LEAVING_THE_REST}).
   *
   * <p>The two prepared statements are parsed, analysed and planned by PostgreSQL once per pooled
   * connection when the pool caches prepared statements ({@code
   * quarkus.datasource.reactive.cache-prepared-statements}, infra/README.md): uncached, that work
   * was about half of PostgreSQL's CPU per round. A cached statement outlives a migration, so
   * neither takes its types from the schema, for its parameters (each cast) or its result (a
   * function's, or columns cast): a migration that changes a column's type re-plans them, where a
   * result type that changed would fail the next record on each connection ("cached plan must not
   * change result type").
   */
  public Uni<Void> record(List<PromisedTransaction> issued) {
    if (issued.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    TransactionBudget budget = TransactionBudget.of(pg);
    Tuple rows = recordTuple(issued, OffsetDateTime.now(ZoneOffset.UTC));
    Tuple positions =
        positionsTuple(issued.stream().map(p -> position(p.preconfirmation())).toList());
    return pg.call(
        "recording " + issued.size() + " preconfirmation(s)",
        () ->
            pool.withConnection(
                conn ->
                    Uni.createFrom()
                        .item(budget::leftMillis)
                        .chain(left -> recordOn(conn, left, positions, rows))));
  }

  private static Uni<Void> recordOn(SqlConnection conn, long left, Tuple positions, Tuple rows) {
    return Uni.combine()
        .all()
        .unis(
            conn.query("begin").execute(),
            conn.query("set local statement_timeout = " + left).execute(),
            conn.preparedQuery(LOCK_POSITIONS_LEAVING_THE_REST)
                .execute(Tuple.of(positions.getValue(0), positions.getValue(1), left)),
            conn.preparedQuery(RECORD).execute(rows),
            conn.query("commit").execute())
        // Every reply awaited, the commit's too, before the connection goes back to the pool; a
        // statement that failed turned the commit into a rollback.
        .collectFailures()
        .with(results -> refuseVoid((RowSet<?>) results.get(3)));
  }

  /**
   * Takes a transaction-long lock on each (chain, sequence) given, in one order so that two
   * transactions locking several never wait on each other in a circle. A record and a void of the
   * same position take the same lock, so one of them sees the other's committed row.
   */
  private static final String LOCK_POSITIONS =
      "select pg_advisory_xact_lock(k) from ("
          + " select distinct hashtextextended(c::text || ':' || s::text, 0) as k"
          + " from unnest($1::bigint[], $2::bigint[]) as t(c, s) order by k offset 0) o";

  /**
   * {@link #LOCK_POSITIONS}, then the statement timeout of the statements after it cut to what is
   * left of $3 ms since the transaction began: however long the locks took, the record that follows
   * them ends by the budget's deadline, and the commit sent with them comes no later.
   */
  private static final String LOCK_POSITIONS_LEAVING_THE_REST =
      "with locked as ("
          + LOCK_POSITIONS
          + ") select set_config('statement_timeout', greatest(1, $3::bigint"
          + " - (extract(epoch from clock_timestamp() - transaction_timestamp()) * 1000)::bigint)"
          + "::text, true) from (select count(*) from locked) l";

  /** Voids the positions given that have no record (under their locks); a void one stays so. */
  private static final String VOID_UNRECORDED =
      "insert into void_positions (chain_id, sequence, tx_hash, received_at)"
          + " select c, s, tx, at from unnest($1::bigint[], $2::bigint[], $3::varchar[],"
          + " $4::bigint[]) as t(c, s, tx, at)"
          + " where not exists (select 1 from preconfirmations p"
          + " where p.chain_id = t.c and p.sequence = t.s)"
          + " on conflict do nothing";

  /** The positions among those given that have no record. */
  private static final String UNRECORDED_AMONG =
      "select c, s from unnest($1::bigint[], $2::bigint[]) as t(c, s)"
          + " where not exists (select 1 from preconfirmations p"
          + " where p.chain_id = t.c and p.sequence = t.s)";

  /**
   * Refuses a record one of whose positions is void (the record wrote nothing then): its request
   * outlasted the bound after which open positions are voided, and the transaction may have been
   * promised again since.
   */
  private static Void refuseVoid(RowSet<?> voids) {
    if (voids.size() == 0) {
      return null;
    }
    Row first = (Row) voids.iterator().next();
    throw new RejectedException(
        Rejection.of(
            ErrorCode.PRECONFIRMATION_GENERATION_FAILED,
            Reason.TIMEOUT,
            "sequence "
                + first.getLong(1)
                + " on chain "
                + first.getLong(0)
                + " was voided before its preconfirmation was recorded (the request outlasted"
                + " the bound for open positions); nothing was promised: resubmit"));
  }

  private static LanePosition position(Preconfirmation p) {
    Leaf leaf = p.leaf();
    return new LanePosition(
        leaf.chainId(), leaf.txHash(), leaf.sequence(), leaf.previous(), leaf.receivedAt());
  }

  private static Tuple positionsTuple(List<LanePosition> positions) {
    Long[] chain = new Long[positions.size()];
    Long[] sequence = new Long[positions.size()];
    for (int i = 0; i < positions.size(); i++) {
      chain[i] = positions.get(i).chainId().value();
      sequence[i] = positions.get(i).sequence();
    }
    return Tuple.of(chain, sequence);
  }

  /** Under the same locks {@link #record} takes, and after them the same void check. */
  @Override
  public Uni<List<LanePosition>> voidUnrecorded(List<LanePosition> positions) {
    if (positions.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    Tuple locks = positionsTuple(positions);
    String[] tx = positions.stream().map(p -> p.txHash().toHex()).toArray(String[]::new);
    Long[] at = positions.stream().map(LanePosition::receivedAt).toArray(Long[]::new);
    Tuple rows = Tuple.of(locks.getValue(0), locks.getValue(1), tx, at);
    return pg.call(
        "voiding " + positions.size() + " unrecorded lane position(s)",
        () ->
            pool.withTransaction(
                conn ->
                    conn.preparedQuery(LOCK_POSITIONS)
                        .execute(locks)
                        .chain(() -> conn.preparedQuery(VOID_UNRECORDED).execute(rows))
                        .chain(() -> conn.preparedQuery(UNRECORDED_AMONG).execute(locks))
                        .onItem()
                        .transform(
                            unrecorded -> {
                              Set<String> open = new HashSet<>();
                              for (Row r : unrecorded) {
                                open.add(r.getLong(0) + ":" + r.getLong(1));
                              }
                              return positions.stream()
                                  .filter(
                                      p -> open.contains(p.chainId().value() + ":" + p.sequence()))
                                  .toList();
                            })));
  }

  /**
   * The positions among the record's that are void, read once their locks are held (this statement
   * follows the locks', so it sees every void committed before them); then, only if there are none,
   * the commitments (once per root: a round's preconfirmations share one) and the preconfirmations
   * that are not there yet, each naming its commitment's root. Conflicts on the id are a retry and
   * insert nothing; the other unique constraints (transaction, lane position, sender and nonce)
   * still fail the statement, as they must.
   *
   * <p>A preconfirmation's first status is its row's own ({@code status} and {@code recorded_at});
   * {@code status_history} holds the changes after it (V9). Its proof goes as its hashes' bytes,
   * and no foreign key checks its commitment row, which this same statement writes (V10).
   */
  private static final String RECORD =
      "with voided as ("
          + " select v.chain_id, v.sequence from void_positions v"
          + " join unnest($9::bigint[], $13::bigint[]) as t(c, s)"
          + " on v.chain_id = t.c and v.sequence = t.s"
          + "), c as ("
          + " insert into commitments"
          + " (root, issued_at, expires_at, atomic, signer, signature, pq_signature, recorded_at)"
          + " select * from unnest($1::varchar[], $2::bigint[], $3::bigint[],"
          + " $4::boolean[], $5::varchar[], $6::text[], $7::bytea[])"
          + " as t(root, issued_at, expires_at, atomic, signer, signature, pq_signature)"
          + " cross join (select $19::timestamptz) as n(recorded_at)"
          + " where not exists (select 1 from voided)"
          + " on conflict (root) do nothing"
          + "), p as ("
          + " insert into preconfirmations"
          + " (id, chain_id, tx_hash, sender, nonce, sequence, previous, received_at, target_slot,"
          + " proof, commitment_root, status, signed_tx, recorded_at)"
          + " select id, chain_id, tx_hash, sender, nonce, sequence, previous, received_at,"
          + " target_slot, proof, commitment_root, 'PRECONFIRMED', signed_tx, $19"
          + " from unnest($8::varchar[], $9::bigint[], $10::varchar[], $11::varchar[],"
          + " $12::bigint[], $13::bigint[], $14::varchar[], $15::bigint[], $16::bigint[],"
          + " $17::bytea[], $18::varchar[], $20::text[])"
          + " as t(id, chain_id, tx_hash, sender, nonce, sequence, previous, received_at,"
          + " target_slot, proof, commitment_root, signed_tx)"
          + " where not exists (select 1 from voided)"
          + " on conflict (id) do nothing"
          + ")"
          + " select chain_id::bigint, sequence::bigint from voided";

  private static Tuple recordTuple(List<PromisedTransaction> issued, OffsetDateTime now) {
    // Each commitment goes once to the database, however many preconfirmations share it.
    Map<Hash32, Commitment> byRoot = new LinkedHashMap<>();
    for (PromisedTransaction t : issued) {
      Commitment c = t.preconfirmation().commitment();
      byRoot.putIfAbsent(c.root(), c);
    }
    List<Commitment> commitments = List.copyOf(byRoot.values());
    int m = commitments.size();
    String[] root = new String[m];
    Long[] issuedAt = new Long[m];
    Long[] expiresAt = new Long[m];
    Boolean[] atomic = new Boolean[m];
    String[] signer = new String[m];
    String[] signature = new String[m];
    Buffer[] pqSignature = new Buffer[m];
    for (int i = 0; i < m; i++) {
      Commitment c = commitments.get(i);
      root[i] = c.root().toHex();
      issuedAt[i] = c.issuedAt();
      expiresAt[i] = c.expiresAt();
      atomic[i] = c.atomic();
      signer[i] = c.signer().toHex();
      signature[i] = c.signature().toHex();
      pqSignature[i] = c.hasPqSignature() ? Buffer.buffer(c.pqSignature().toArray()) : null;
    }
    int n = issued.size();
    String[] signedTx = new String[n];
    String[] id = new String[n];
    Long[] chainId = new Long[n];
    String[] txHash = new String[n];
    String[] sender = new String[n];
    Long[] nonce = new Long[n];
    Long[] sequence = new Long[n];
    String[] previous = new String[n];
    Long[] receivedAt = new Long[n];
    Long[] targetSlot = new Long[n];
    Buffer[] proof = new Buffer[n];
    String[] commitmentRoot = new String[n];
    for (int i = 0; i < n; i++) {
      Preconfirmation p = issued.get(i).preconfirmation();
      signedTx[i] = issued.get(i).signedTransaction().toHex();
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
      proof[i] = StoredPreconfirmations.proofBytes(p.proof());
      commitmentRoot[i] = p.commitment().root().toHex();
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
          commitmentRoot,
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
                        s.createNativeQuery(
                                "select "
                                    + StoredPreconfirmations.COLUMNS
                                    + " from "
                                    + StoredPreconfirmations.FROM
                                    + " where p.chain_id = :chain and p.tx_hash = :tx",
                                jakarta.persistence.Tuple.class)
                            .setParameter("chain", chain.value())
                            .setParameter("tx", txHash.toHex())
                            .getSingleResultOrNull()))
        .onItem()
        .transform(row -> Optional.ofNullable(row).map(StoredPreconfirmations.reader()::read));
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
                        s.createNativeQuery(
                                "select "
                                    + StoredPreconfirmations.COLUMNS
                                    + " from "
                                    + StoredPreconfirmations.FROM
                                    + " where p.chain_id = :chain and p.sequence >= :from"
                                    + " order by p.sequence limit :max",
                                jakarta.persistence.Tuple.class)
                            .setParameter("chain", chain.value())
                            .setParameter("from", fromSequence)
                            .setParameter("max", max)
                            .getResultList()))
        .onItem()
        .transform(
            rows -> {
              StoredPreconfirmations.Reader reader = StoredPreconfirmations.reader();
              return rows.stream().map(reader::read).toList();
            });
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
                                s.createNativeQuery(
                                        "select p.tx_hash, p.sender, p.nonce, p.sequence,"
                                            + " p.target_slot, p.received_at, p.signed_tx,"
                                            + " case when p.status = 'PRECONFIRMED'"
                                            + " and c.expires_at > :now then c.expires_at end"
                                            + " from preconfirmations p left join commitments c"
                                            + " on c.root = p.commitment_root"
                                            + " where p.chain_id = :chain"
                                            + " and p.received_at >= :since",
                                        Object[].class)
                                    .setParameter("chain", chain.value())
                                    .setParameter("since", claimedSince)
                                    .setParameter("now", System.currentTimeMillis())
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
      Number until = (Number) r[7];
      BigInteger reserved = until == null ? null : reservedWei((String) r[6]);
      claims.add(
          new HeldClaim(
              Hash32.fromHex("tx_hash", (String) r[0]),
              Address.fromHex("sender", (String) r[1]),
              ((Number) r[2]).longValue(),
              ((Number) r[3]).longValue(),
              ((Number) r[4]).longValue(),
              ((Number) r[5]).longValue(),
              reserved,
              reserved == null ? 0 : until.longValue()));
    }
    return new LaneSnapshot(
        chain,
        ((Number) head[0]).longValue(),
        Hash32.fromHex("tx_hash", (String) head[1]),
        ((Number) head[2]).longValue(),
        claims);
  }

  /**
   * What a kept signed transaction reserves of its sender's balance, as the lane claim counted it;
   * null for none kept or bytes that do not decode (a promise recorded before they were kept).
   */
  private static BigInteger reservedWei(String signedHex) {
    if (signedHex == null) {
      return null;
    }
    Result<DecodedTransaction> tx =
        TransactionDecoder.decode(Bytes.fromHex("signed_tx", signedHex));
    return tx.isOk() ? tx.value().maxCostWei() : null;
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
