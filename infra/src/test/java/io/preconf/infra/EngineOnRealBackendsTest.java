package io.preconf.infra;

import static io.preconf.core.testing.Samples.uniqueChain;
import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.crypto.EcdsaSigner;
import io.preconf.core.engine.PreconfirmRequest;
import io.preconf.core.engine.PreconfirmResult;
import io.preconf.core.engine.PreconfirmationEngine;
import io.preconf.core.error.Reason;
import io.preconf.core.feed.LaneEntry;
import io.preconf.core.tx.TransactionBuilder;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import io.preconf.infra.pg.PgPreconfirmations;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The core's engine over the real adapters: what functions and websocket will run. */
@QuarkusTest
@WithTestResource(LocalServers.class)
class EngineOnRealBackendsTest {
  private static final long SLOT_MS = 2_000;
  private static final Logger LOG = Logger.getLogger(EngineOnRealBackendsTest.class);

  @Inject Redis redis;
  @Inject PgPreconfirmations pg;

  Adapters a;
  ChainId chain;
  PreconfirmationEngine engine;
  ExecutorService cpu;

  @BeforeEach
  void engineOnOwnChain() {
    // A generous Redis timeout: this test is about one promise per transaction, and on a shared
    // 2-core machine a burst of 1,000 requests can keep one claim waiting past the usual 2 s.
    a = new Adapters(redis, "127.0.0.1:6390", pg, Fixtures.uniquePrefix(), Duration.ofSeconds(15));
    chain = uniqueChain();
    cpu = Executors.newFixedThreadPool(2);
    engine = a.engine(chain, SLOT_MS, 30_000_000, cpu);
  }

  @AfterEach
  void stopPool() {
    cpu.shutdownNow();
  }

  private String transfer(int senderKey, long nonce) {
    return TransactionBuilder.on(chain)
        .nonce(nonce)
        .to(Address.fromHex("0x00000000000000000000000000000000000000aa"))
        .value(BigInteger.ONE)
        .sign(EcdsaSigner.fromPrivateKey(Fixtures.key(senderKey)))
        .toHex();
  }

  @Test
  void aThousandConcurrentSubmissionsOfOneTransactionAllGetTheSamePreconfirmation() {
    String raw = transfer(1, 0);
    // The burst's first claim reads the fresh lane's history from PostgreSQL within its 3 s
    // deadline; in a cold test JVM that first query (Hibernate's class loading, the pool's first
    // connection) competes with 1,000 signature recoveries. The test is about one promise per
    // transaction, so the read path is warmed first (again while a cold first try runs past its
    // deadline); it reads only, the lane stays unseeded.
    pg.snapshot(chain, 0).onFailure().retry().atMost(5).await().atMost(Adapters.AWAIT);
    List<Uni<PreconfirmResult>> calls = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      calls.add(engine.preconfirm(new PreconfirmRequest(List.of(raw), false, null)));
    }

    long start = System.nanoTime();
    List<PreconfirmResult> results =
        Uni.join().all(calls).andFailFast().await().atMost(Adapters.AWAIT);
    LOG.infof(
        "1000 concurrent submissions of one tx answered in %d ms",
        (System.nanoTime() - start) / 1_000_000);

    for (PreconfirmResult r : results) {
      assertThat(r.error()).isNull();
      assertThat(r.rejected()).isEmpty();
    }
    Preconfirmation first = results.get(0).preconfirmations().get(0);
    for (PreconfirmResult r : results) {
      assertThat(r.preconfirmations()).containsExactly(first);
    }
    assertThat(first.sequence()).isEqualTo(1);
    assertThat(pg.lane(chain, 1, 10).await().atMost(Adapters.AWAIT)).containsExactly(first);
    // the log keeps the transaction as submitted, beside the promise; the answer does not wait for
    // the publish, so the entry may come just after it
    assertThat(
            Fixtures.eventually(
                () -> a.feed.read(chain, 1, 10).await().atMost(Adapters.AWAIT),
                entries -> !entries.isEmpty()))
        .containsExactly(new LaneEntry.Issued(1, first, Bytes.fromHex("raw", raw)));
  }

  /**
   * Redis lets a transaction's and a nonce's claims lapse; PostgreSQL keeps the promise. A
   * resubmission is then answered with the recorded preconfirmation, and another transaction for
   * the same (sender, nonce) is refused by the database's constraint; the positions they took on
   * the way are voided.
   */
  @Test
  void afterItsClaimsLapseATransactionIsAnsweredFromPostgresAndItsNonceStaysTaken() {
    String raw = transfer(7, 0);
    Preconfirmation first = preconfirm(raw).preconfirmations().get(0);
    // What Redis does once preconf.infra.redis.claim-ttl has passed.
    a.command(
        "DEL",
        a.keys.tx(chain, first.txHash()),
        a.keys.nonce(chain, first.leaf().sender(), first.leaf().nonce()));

    PreconfirmResult again = preconfirm(raw);
    assertThat(again.rejected()).isEmpty();
    assertThat(again.preconfirmations()).containsExactly(first);
    assertThat(a.command("HGET", a.keys.voids(chain), "2")).isEqualTo(first.txHash().toHex());

    String sameNonce =
        TransactionBuilder.on(chain)
            .nonce(0)
            .to(Address.fromHex("0x00000000000000000000000000000000000000bb"))
            .value(BigInteger.ONE)
            .sign(EcdsaSigner.fromPrivateKey(Fixtures.key(7)))
            .toHex();
    PreconfirmResult refused = preconfirm(sameNonce);
    assertThat(refused.preconfirmations()).isEmpty();
    assertThat(refused.rejected().get(0).rejection().reason()).isEqualTo(Reason.NONCE_CONFLICT);
    assertThat(a.command("HGET", a.keys.voids(chain), "3")).isNotNull();
    assertThat(pg.lane(chain, 1, 10).await().atMost(Adapters.AWAIT)).containsExactly(first);
  }

  private PreconfirmResult preconfirm(String raw) {
    return engine
        .preconfirm(new PreconfirmRequest(List.of(raw), false, null))
        .await()
        .atMost(Adapters.AWAIT);
  }

  @Test
  void anAtomicBundleWithANonceConflictPromisesNothing() {
    PreconfirmResult taken =
        engine
            .preconfirm(new PreconfirmRequest(List.of(transfer(2, 0)), false, null))
            .await()
            .atMost(Adapters.AWAIT);
    assertThat(taken.preconfirmations()).hasSize(1);

    PreconfirmResult bundle =
        engine
            .preconfirm(new PreconfirmRequest(List.of(transfer(3, 0), conflicting()), true, null))
            .await()
            .atMost(Adapters.AWAIT);

    assertThat(bundle.preconfirmations()).isEmpty();
    assertThat(bundle.rejected()).isNotEmpty();
    assertThat(pg.lane(chain, 1, 10).await().atMost(Adapters.AWAIT))
        .containsExactlyElementsOf(taken.preconfirmations());
  }

  /** Sender 2's nonce 0 again, as a different transaction (another value). */
  private String conflicting() {
    return TransactionBuilder.on(chain)
        .nonce(0)
        .to(Address.fromHex("0x00000000000000000000000000000000000000aa"))
        .value(BigInteger.TWO)
        .sign(EcdsaSigner.fromPrivateKey(Fixtures.key(2)))
        .toHex();
  }
}
