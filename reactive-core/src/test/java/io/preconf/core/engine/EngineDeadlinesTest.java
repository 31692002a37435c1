package io.preconf.core.engine;

import static io.preconf.core.testing.EngineFixture.ALPHA;
import static io.preconf.core.testing.EngineFixture.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.metrics.EngineCounters;
import io.preconf.core.port.LaneClaim;
import io.preconf.core.port.LaneOutcome;
import io.preconf.core.port.LanePosition;
import io.preconf.core.port.LaneSequencer;
import io.preconf.core.testing.EngineFixture;
import io.preconf.core.testing.InMemoryLanes;
import io.preconf.core.testing.InMemoryStore;
import io.preconf.core.testing.ManualClock;
import io.preconf.core.time.Timeouts;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The engine's deadlines: a stuck port gives a coded TIMEOUT, and a met deadline is disarmed. */
class EngineDeadlinesTest {
  private final ManualClock clock = new ManualClock(EngineFixture.START);
  private final InMemoryLanes lanes = new InMemoryLanes(clock::nowMillis);
  private final InMemoryStore store = new InMemoryStore();
  private final EngineCounters counters = new EngineCounters();

  /** Holds every claim until {@link #release} is called. */
  private final class HeldLanes implements LaneSequencer {
    final CompletableFuture<Void> release = new CompletableFuture<>();

    @Override
    public Uni<List<LaneOutcome>> claim(List<LaneClaim> claims, boolean atomic) {
      return Uni.createFrom()
          .completionStage(release)
          .onItem()
          .transformToUni(ignored -> lanes.claim(claims, atomic));
    }

    @Override
    public Uni<Void> abandon(List<LanePosition> positions) {
      return lanes.abandon(positions);
    }
  }

  private PreconfirmationEngine engine(LaneSequencer lanes, Duration timeout) {
    EngineConfig d = EngineConfig.defaults();
    EngineConfig config =
        new EngineConfig(
            d.maxTransactionBytes(),
            d.maxInitCodeBytes(),
            d.maxTransactionsPerRequest(),
            d.ttl(),
            timeout,
            timeout,
            d.mevProtection(),
            d.quantumSignatures(),
            d.requireQuantumSignature(),
            d.parallelProcessing(),
            d.verifiedRootCacheSize());
    return new PreconfirmationEngine(
        config,
        EngineFixture.rollups(),
        Signers.signing(EngineFixture.PRECONFER, EngineFixture.PQ),
        List.of(),
        new PreconfirmationEngine.Ports(lanes, store, store, clock),
        Runnable::run,
        counters);
  }

  private static PreconfirmRequest one(String tx) {
    return new PreconfirmRequest(List.of(tx), false, null);
  }

  @Test
  void aLaneThatNeverAnswersGivesATimeoutNamingTheDeadlineAndPromisesNothing() {
    PreconfirmationEngine engine = engine(new HeldLanes(), Duration.ofMillis(150));

    PreconfirmResult r =
        engine
            .preconfirm(one(transfer(ALPHA, 1, 0)))
            .subscribe()
            .withSubscriber(UniAssertSubscriber.create())
            .awaitItem(Duration.ofSeconds(5))
            .getItem();

    assertThat(r.preconfirmations()).isEmpty();
    assertThat(r.error().code()).isEqualTo(ErrorCode.PRECONFIRMATION_GENERATION_FAILED);
    assertThat(r.error().reason()).isEqualTo(Reason.TIMEOUT);
    assertThat(r.error().message()).contains("150 ms");
    assertThat(store.size()).isZero();
    assertThat(counters.rejectedCount(Reason.TIMEOUT)).isEqualTo(1);
  }

  @Test
  void aDeadlineIsArmedWhileARequestIsInFlightAndLeavesTheQueueWhenItCompletes() {
    HeldLanes held = new HeldLanes();
    PreconfirmationEngine engine = engine(held, Duration.ofSeconds(30));
    int before = Timeouts.pending();

    UniAssertSubscriber<PreconfirmResult> inFlight =
        engine
            .preconfirm(one(transfer(ALPHA, 1, 0)))
            .subscribe()
            .withSubscriber(UniAssertSubscriber.create());
    assertThat(Timeouts.pending()).isEqualTo(before + 1);

    held.release.complete(null);
    assertThat(inFlight.awaitItem(Duration.ofSeconds(5)).getItem().preconfirmations()).hasSize(1);
    assertThat(Timeouts.pending()).isEqualTo(before);
  }

  @Test
  void manyCompletedRequestsLeaveNoTimerBehind() {
    HeldLanes open = new HeldLanes();
    open.release.complete(null);
    PreconfirmationEngine engine = engine(open, Duration.ofSeconds(30));
    int before = Timeouts.pending();

    for (int i = 0; i < 200; i++) {
      PreconfirmResult r =
          engine.preconfirm(one(transfer(ALPHA, 100 + i, 0))).await().atMost(Duration.ofSeconds(5));
      assertThat(r.preconfirmations()).hasSize(1);
      assertThat(engine.validate(r.preconfirmations().get(0), null).await().indefinitely().valid())
          .isTrue();
    }

    assertThat(Timeouts.pending()).isEqualTo(before);
  }
}
