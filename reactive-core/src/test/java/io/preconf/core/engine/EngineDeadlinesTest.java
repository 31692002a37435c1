package io.preconf.core.engine;

import static io.preconf.core.testing.EngineFixture.ALPHA;
import static io.preconf.core.testing.EngineFixture.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.port.ClaimGroup;
import io.preconf.core.port.ForwardingLanes;
import io.preconf.core.port.LaneOutcome;
import io.preconf.core.port.LaneSequencer;
import io.preconf.core.testing.EngineFixture;
import io.preconf.core.time.Timeouts;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The engine's deadlines: a stuck port gives a coded TIMEOUT, and a met deadline is disarmed. */
class EngineDeadlinesTest {
  private final EngineFixture f = new EngineFixture();

  /** Holds every claim until {@link #release} is called. */
  private final class HeldLanes extends ForwardingLanes {
    final CompletableFuture<Void> release = new CompletableFuture<>();

    HeldLanes() {
      super(f.lanes);
    }

    @Override
    public Uni<List<List<LaneOutcome>>> claimAll(List<ClaimGroup> groups) {
      return Uni.createFrom()
          .completionStage(release)
          .onItem()
          .transformToUni(ignored -> super.claimAll(groups));
    }
  }

  private PreconfirmationEngine engine(LaneSequencer lanes, Duration timeout) {
    return f.engineOver(lanes, EngineConfig.defaults().withTimeouts(timeout, timeout));
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
    assertThat(f.store.size()).isZero();
    assertThat(f.counters.rejectedCount(Reason.TIMEOUT)).isEqualTo(1);
  }

  @Test
  void deadlinesAreArmedWhileARequestIsInFlightAndLeaveTheQueueWhenItCompletes() {
    HeldLanes held = new HeldLanes();
    PreconfirmationEngine engine = engine(held, Duration.ofSeconds(30));
    int before = Timeouts.pending();

    UniAssertSubscriber<PreconfirmResult> inFlight =
        engine
            .preconfirm(one(transfer(ALPHA, 1, 0)))
            .subscribe()
            .withSubscriber(UniAssertSubscriber.create());
    // The request's deadline, and that of the round it is in.
    assertThat(Timeouts.pending()).isEqualTo(before + 2);

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
      assertThat(
              f.validation
                  .validate(r.preconfirmations().get(0), null)
                  .await()
                  .indefinitely()
                  .valid())
          .isTrue();
    }

    assertThat(Timeouts.pending()).isEqualTo(before);
  }
}
