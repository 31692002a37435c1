package io.preconf.infra;

import static io.preconf.core.testing.EngineFixture.send;
import static io.preconf.core.testing.Samples.uniqueChain;
import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.commit.Commitment;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.crypto.EcdsaSigner;
import io.preconf.core.engine.PreconfirmResult;
import io.preconf.core.engine.PreconfirmationEngine;
import io.preconf.core.feed.LaneEntry;
import io.preconf.core.feed.LaneReader;
import io.preconf.core.port.ClaimGroup;
import io.preconf.core.port.Clock;
import io.preconf.core.port.ForwardingLanes;
import io.preconf.core.port.LaneOutcome;
import io.preconf.core.tx.TransactionBuilder;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import io.preconf.infra.pg.PgCalls;
import io.preconf.infra.pg.PgLaneLog;
import io.preconf.infra.pg.PgPreconfirmations;
import io.preconf.infra.pg.PgStatusQuery;
import io.preconf.infra.redis.CommitmentBytes;
import io.preconf.wire.PreconfirmationCodec;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.Test;

/**
 * Group commit over Redis and PostgreSQL: requests that queue behind a round share one lane script
 * call, one commitment row and one signature, and every preconfirmation of the shared commitment
 * verifies with standard Ethereum tooling and reads back byte for byte.
 */
@QuarkusTest
@WithTestResource(LocalServers.class)
class GroupCommitOnRealBackendsTest {
  private static final long SLOT_MS = 2_000;

  @Inject Redis redis;
  @Inject PgPreconfirmations pg;
  @Inject Pool pool;
  @Inject PgStatusQuery status;
  @Inject Mutiny.SessionFactory sessions;
  @Inject PgCalls pgCalls;

  /** The lanes, with their first claim held back until {@link #release} completes. */
  private static final class HeldLanes extends ForwardingLanes {
    final CompletableFuture<Void> release = new CompletableFuture<>();
    final AtomicInteger calls = new AtomicInteger();

    HeldLanes(Adapters a) {
      super(a.lanes);
    }

    @Override
    public Uni<List<List<LaneOutcome>>> claimAll(List<ClaimGroup> groups) {
      return calls.getAndIncrement() == 0
          ? Uni.createFrom().completionStage(release).chain(() -> super.claimAll(groups))
          : super.claimAll(groups);
    }
  }

  private static String transfer(ChainId chain, int senderKey) {
    return TransactionBuilder.on(chain)
        .nonce(0)
        .to(Address.fromHex("0x00000000000000000000000000000000000000aa"))
        .value(BigInteger.ONE)
        .sign(EcdsaSigner.fromPrivateKey(Fixtures.key(senderKey)))
        .toHex();
  }

  private static List<Preconfirmation> promised(UniAssertSubscriber<PreconfirmResult> call) {
    PreconfirmResult r = call.awaitItem(Adapters.AWAIT).getItem();
    assertThat(r.error()).isNull();
    assertThat(r.rejected()).isEmpty();
    return r.preconfirmations();
  }

  /** What one round promised: 12 requests sharing one commitment, and one atomic bundle. */
  private record Round(
      Adapters adapters,
      ChainId chain,
      List<Preconfirmation> shared,
      List<Preconfirmation> atomic) {
    List<Preconfirmation> all() {
      List<Preconfirmation> all = new ArrayList<>(shared);
      all.addAll(atomic);
      return all;
    }
  }

  /**
   * Holds the lanes' first claim so that 12 single requests and a bundle queue behind it, then lets
   * them run as the second round.
   */
  private Round round() {
    Adapters a = new Adapters(redis, "127.0.0.1", pg, Fixtures.uniquePrefix());
    ChainId chain = uniqueChain();
    HeldLanes lanes = new HeldLanes(a);
    // Decoding on the calling thread: each request has joined the queue when send returns.
    PreconfirmationEngine engine = a.engine(chain, SLOT_MS, 30_000_000, Runnable::run, lanes);
    // Warm the lane's first read of its history (a cold test JVM can be slow to make it).
    pg.snapshot(chain, 0).onFailure().retry().atMost(5).await().atMost(Adapters.AWAIT);

    UniAssertSubscriber<PreconfirmResult> first = send(engine, false, transfer(chain, 0x10));
    List<UniAssertSubscriber<PreconfirmResult>> queued = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      queued.add(send(engine, false, transfer(chain, 0x20 + i)));
    }
    UniAssertSubscriber<PreconfirmResult> bundle =
        send(engine, true, transfer(chain, 0x40), transfer(chain, 0x41));
    lanes.release.complete(null);

    promised(first);
    List<Preconfirmation> shared = new ArrayList<>();
    queued.forEach(call -> shared.addAll(promised(call)));
    List<Preconfirmation> atomic = promised(bundle);
    assertThat(lanes.calls).hasValue(2);
    return new Round(a, chain, shared, atomic);
  }

  @Test
  void requestsOfOneRoundShareOneCommitmentRowAndEachVerifiesIndependently() throws Exception {
    Round round = round();
    List<Preconfirmation> shared = round.shared();

    String root = shared.get(0).commitment().root().toHex();
    assertThat(shared).allSatisfy(p -> assertThat(p.commitment().root().toHex()).isEqualTo(root));
    assertThat(round.atomic().get(0).commitment().root().toHex()).isNotEqualTo(root);
    assertThat(rows("select count(*) from commitments where root = $1", root)).isEqualTo(1);
    assertThat(rows("select count(*) from preconfirmations where commitment_root = $1", root))
        .isEqualTo(12);

    for (Preconfirmation p : round.all()) {
      Preconfirmation read =
          pg.find(round.chain(), p.txHash()).await().atMost(Adapters.AWAIT).orElseThrow();
      assertThat(PreconfirmationCodec.toJson(read)).isEqualTo(PreconfirmationCodec.toJson(p));
    }
    var list = new com.fasterxml.jackson.databind.ObjectMapper().createArrayNode();
    round.all().forEach(p -> list.add(PreconfirmationCodec.toTree(p)));
    String pqKey = Fixtures.preconfer().pqPublicKey().toHex();
    assertThat(IndependentVerifier.verify(list.toString(), pqKey, true))
        .contains("14 verified, 0 failed");
  }

  @Test
  void aRoundKeepsItsSignaturesOnceAndEveryReadGivesBackWhatTheEngineAnswered() {
    Round round = round();
    Commitment shared = round.shared().get(0).commitment();
    String root = shared.root().toHex();

    // Neither signature is anywhere in the round's preconfirmation rows: only in commitments.
    for (Bytes signature : List.of(shared.signature(), shared.pqSignature())) {
      String hex = signature.toHex().substring(2);
      assertThat(
              rows(
                  "select count(*) from preconfirmations p where p.commitment_root = $1"
                      + " and strpos(p::text, $2) > 0",
                  root,
                  hex))
          .isZero();
      assertThat(rows("select count(*) from commitments c where strpos(c::text, $1) > 0", hex))
          .isEqualTo(1);
    }

    new StoredReads(pg, status, sessions, pgCalls).giveBack(round.chain(), round.all());
  }

  @Test
  void aRoundKeepsItsMlDsaSignatureAsBytesAndGivesItsPromisesNoHistoryRowUntilTheyChange() {
    Round round = round();
    Commitment shared = round.shared().get(0).commitment();

    assertThat(
            rows(
                "select octet_length(pq_signature) from commitments where root = $1",
                shared.root().toHex()))
        .isEqualTo(shared.pqSignature().size())
        .isEqualTo(3309);
    String[] ids = round.all().stream().map(p -> p.id().toHex()).toArray(String[]::new);
    assertThat(
            rows(
                "select count(*) from status_history where preconfirmation_id = any($1)",
                (Object) ids))
        .isZero();
    assertThat(
            rows(
                "select count(*) from preconfirmations where id = any($1)"
                    + " and status = 'PRECONFIRMED' and recorded_at is not null",
                (Object) ids))
        .isEqualTo(14);
  }

  @Test
  void redisKeepsARoundsCommitmentOnceAndAnotherProcessReadsBackWhatTheEngineAnswered() {
    Round round = round();
    Adapters engine = round.adapters();
    Commitment shared = round.shared().get(0).commitment();
    String pqSignature = shared.pqSignature().toHex().substring(2);
    cached(engine, round.all());

    // The signatures are in the commitment's key alone: the feed's entries of the round name its
    // root, and the cache's entries name the feed's.
    assertThat(engine.bytes(engine.keys.commitment(shared.root())))
        .isEqualTo(CommitmentBytes.encode(shared));
    for (Preconfirmation p : round.all()) {
      assertThat(engine.command("GET", engine.keys.cached(round.chain(), p.txHash())))
          .isEqualTo("@" + p.sequence());
    }
    assertThat(engine.command("XRANGE", engine.keys.feed(round.chain()), "-", "+"))
        .contains(shared.root().toHex())
        .doesNotContain(pqSignature);

    // Another process, holding no commitment yet, puts the bytes back together.
    Adapters reader = new Adapters(redis, "127.0.0.1", pg, engine.keys.prefix());
    for (Preconfirmation p : round.all()) {
      Preconfirmation read =
          reader.cache.get(round.chain(), p.txHash()).await().atMost(Adapters.AWAIT).orElseThrow();
      assertThat(PreconfirmationCodec.toJson(read)).isEqualTo(PreconfirmationCodec.toJson(p));
    }
    assertThat(framed(reader.feed.read(round.chain(), 2, 100).await().atMost(Adapters.AWAIT)))
        .containsExactlyElementsOf(answered(round.all()));
  }

  @Test
  void aCommitmentGoneFromRedisIsReadFromPostgresAndNeverHalfFromRedis() {
    Round round = round();
    Adapters engine = round.adapters();
    Commitment shared = round.shared().get(0).commitment();
    cached(engine, round.all());
    engine.command("DEL", engine.keys.commitment(shared.root()));

    // The feed log leaves the entries out, and a lane reader fills them from PostgreSQL.
    Adapters feedNode = new Adapters(redis, "127.0.0.1", pg, engine.keys.prefix());
    List<LaneEntry> logged =
        feedNode.feed.read(round.chain(), 2, 100).await().atMost(Adapters.AWAIT);
    assertThat(framed(logged)).containsExactlyElementsOf(answered(round.atomic()));
    LaneReader lane =
        new LaneReader(
            round.chain(),
            feedNode.feed,
            new PgLaneLog(sessions, pgCalls),
            100,
            Duration.ofSeconds(1),
            Clock.SYSTEM,
            new LaneReader.Counters() {
              @Override
              public void filledFromArchive(ChainId chain, int entries) {}

              @Override
              public void steppedOver(ChainId chain) {}
            });
    List<LaneEntry> read = new ArrayList<>();
    long next = 2;
    for (int i = 0; i < 20 && next <= 15; i++) {
      LaneReader.Batch b = lane.read(next, 15).await().atMost(Adapters.AWAIT);
      read.addAll(b.entries());
      next = b.through() + 1;
    }
    assertThat(framed(read)).containsExactlyElementsOf(answered(round.all()));

    // The cache answers nothing for them; the store answers from PostgreSQL and writes the
    // commitment again.
    Adapters functions = new Adapters(redis, "127.0.0.1", pg, engine.keys.prefix());
    Preconfirmation leg = round.shared().get(3);
    assertThat(functions.cache.get(round.chain(), leg.txHash()).await().atMost(Adapters.AWAIT))
        .isEmpty();
    Preconfirmation found =
        functions.store.find(round.chain(), leg.txHash()).await().atMost(Adapters.AWAIT).get();
    assertThat(PreconfirmationCodec.toJson(found)).isEqualTo(PreconfirmationCodec.toJson(leg));
    assertThat(functions.bytes(functions.keys.commitment(shared.root())))
        .isEqualTo(CommitmentBytes.encode(shared));
  }

  /** Waits for the engine's cache fill, done by the feed publish the answers do not wait for. */
  private static void cached(Adapters a, List<Preconfirmation> issued) {
    long deadline = System.currentTimeMillis() + Adapters.AWAIT.toMillis();
    for (Preconfirmation p : issued) {
      while (a.command("EXISTS", a.keys.cached(p.chainId(), p.txHash())).equals("0")) {
        assertThat(System.currentTimeMillis()).isLessThan(deadline);
        Thread.onSpinWait();
      }
    }
  }

  /** Each entry as the feed frames it, byte for byte. */
  private static List<String> framed(List<LaneEntry> entries) {
    return entries.stream()
        .map(e -> PreconfirmationCodec.toJson(((LaneEntry.Issued) e).preconfirmation()))
        .toList();
  }

  /** What the engine answered, in lane order. */
  private static List<String> answered(List<Preconfirmation> issued) {
    return issued.stream()
        .sorted(Comparator.comparingLong(Preconfirmation::sequence))
        .map(PreconfirmationCodec::toJson)
        .toList();
  }

  private long rows(String sql, Object... parameters) {
    Row r =
        pool.preparedQuery(sql)
            .execute(Tuple.from(parameters))
            .await()
            .atMost(Adapters.AWAIT)
            .iterator()
            .next();
    return r.getLong(0);
  }
}
