package io.preconf.infra;

import static io.preconf.core.testing.Samples.uniqueChain;
import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.commit.PromisedTransaction;
import io.preconf.core.crypto.EcdsaSigner;
import io.preconf.core.engine.PreconfirmRequest;
import io.preconf.core.engine.PreconfirmResult;
import io.preconf.core.engine.PreconfirmationEngine;
import io.preconf.core.feed.LaneEntry;
import io.preconf.core.port.FeedPublisher;
import io.preconf.core.tx.TransactionBuilder;
import io.preconf.core.types.Address;
import io.preconf.core.types.ChainId;
import io.preconf.infra.pg.PgPreconfirmations;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * On the real Redis and PostgreSQL: a preconfirmation is answered once PostgreSQL holds it, while
 * the feed publish of its round is held back, and the lane's log then carries the rounds' entries
 * in sequence order.
 */
@QuarkusTest
@WithTestResource(LocalServers.class)
class AnswerBeforePublishOnBackendsTest {
  private static final long SLOT_MS = 2_000;

  @Inject Redis redis;
  @Inject PgPreconfirmations pg;

  Adapters a;
  ChainId chain;
  ExecutorService cpu;
  GatedFeed feed;
  PreconfirmationEngine engine;

  /** The real feed log, each publish held until the gate opens; counts the calls it was handed. */
  private static final class GatedFeed implements FeedPublisher {
    final CompletableFuture<Void> gate = new CompletableFuture<>();
    final AtomicInteger calls = new AtomicInteger();
    private final FeedPublisher log;

    GatedFeed(FeedPublisher log) {
      this.log = log;
    }

    @Override
    public Uni<Void> publish(List<PromisedTransaction> issued) {
      calls.incrementAndGet();
      return Uni.createFrom().completionStage(gate).chain(() -> log.publish(issued));
    }
  }

  @BeforeEach
  void engineOnOwnChain() {
    // A generous Redis timeout and a warmed read path: on a shared 2-core machine a cold test JVM's
    // first claim (it reads the fresh lane's history from PostgreSQL) can pass the usual deadlines,
    // and this test is about the order of answer and publish, not about cold starts.
    a = new Adapters(redis, "127.0.0.1:6390", pg, Fixtures.uniquePrefix(), Duration.ofSeconds(15));
    chain = uniqueChain();
    pg.snapshot(chain, 0).onFailure().retry().atMost(5).await().atMost(Adapters.AWAIT);
    cpu = Executors.newFixedThreadPool(2);
    feed = new GatedFeed(a.feed);
    engine = a.engine(chain, SLOT_MS, 30_000_000, cpu, a.lanes, feed);
  }

  @AfterEach
  void stopPool() {
    feed.gate.complete(null);
    cpu.shutdownNow();
  }

  private Preconfirmation promised(int senderKey) {
    String raw =
        TransactionBuilder.on(chain)
            .nonce(0)
            .to(Address.fromHex("0x00000000000000000000000000000000000000aa"))
            .value(BigInteger.ONE)
            .sign(EcdsaSigner.fromPrivateKey(Fixtures.key(senderKey)))
            .toHex();
    PreconfirmResult r =
        engine
            .preconfirm(new PreconfirmRequest(List.of(raw), false, null))
            .await()
            .atMost(Adapters.AWAIT);
    assertThat(r.rejected()).isEmpty();
    return r.preconfirmations().get(0);
  }

  private List<LaneEntry> log() {
    return a.feed.read(chain, 1, 10).await().atMost(Adapters.AWAIT);
  }

  @Test
  void answersComeOnceRecordedAndTheLogCarriesThemInOrderOnceThePublishGoes() {
    Preconfirmation first = promised(1);
    Preconfirmation second = promised(2);

    // Both are in PostgreSQL and answered; round 1's publish is held, round 2's waits behind it.
    assertThat(pg.lane(chain, 1, 10).await().atMost(Adapters.AWAIT)).containsExactly(first, second);
    assertThat(feed.calls).hasValue(1);
    assertThat(log()).isEmpty();

    feed.gate.complete(null);

    List<LaneEntry> carried = Fixtures.eventually(this::log, entries -> entries.size() == 2);
    assertThat(carried)
        .extracting(e -> ((LaneEntry.Issued) e).preconfirmation())
        .containsExactly(first, second);
    assertThat(feed.calls).hasValue(2);
  }
}
