package io.preconf.core.engine;

import static io.preconf.core.testing.EngineFixture.ALPHA;
import static io.preconf.core.testing.EngineFixture.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.RejectedException;
import io.preconf.core.error.Rejection;
import io.preconf.core.port.ForwardingLanes;
import io.preconf.core.port.LaneClaim;
import io.preconf.core.port.LaneOutcome;
import io.preconf.core.port.LanePosition;
import io.preconf.core.testing.EngineFixture;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A lane position left with neither a record nor a void (the request that claimed it could record
 * nothing and then could not void it either) holds its transaction and nonce until the engine takes
 * that request for gone: then it voids the position, and resubmitting works.
 */
class StalePositionsTest {
  /** Long enough for a first, cold request; a held transaction is awaited for half of it. */
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final EngineFixture f = new EngineFixture();

  /**
   * The lanes, with voiding down while {@link #voidingDown} is set; once {@link #holderGone} is
   * set, the next claim finds the holder of what it claims gone, as the Redis lanes do when the
   * holder's process died: that position is voided and the transaction claimed anew.
   */
  private final class Lanes extends ForwardingLanes {
    volatile boolean voidingDown;
    volatile boolean holderGone;

    Lanes() {
      super(f.lanes);
    }

    @Override
    public Uni<List<LaneOutcome>> claim(List<LaneClaim> claims, boolean atomic) {
      if (!holderGone) {
        return super.claim(claims, atomic);
      }
      holderGone = false;
      LaneClaim c = claims.get(0);
      return releaseStale(c.chainId(), c.txHash(), Duration.ZERO)
          .chain(() -> super.claim(claims, atomic));
    }

    @Override
    public Uni<Void> abandon(List<LanePosition> positions) {
      return voidingDown
          ? Uni.createFrom()
              .failure(new RejectedException(Rejection.backendUnavailable("Redis is down")))
          : super.abandon(positions);
    }
  }

  private final Lanes flaky = new Lanes();
  private final PreconfirmationEngine engine =
      f.engineOver(flaky, EngineConfig.defaults().withTimeouts(TIMEOUT, TIMEOUT));

  private PreconfirmResult preconfirm(String tx) {
    return engine
        .preconfirm(new PreconfirmRequest(List.of(tx), false, null))
        .await()
        .atMost(Duration.ofSeconds(10));
  }

  /** A request whose record fails and whose void fails after it: the position is orphaned. */
  private String orphan() {
    String tx = transfer(ALPHA, 1, 0);
    f.store.failWith(
        new RejectedException(Rejection.backendUnavailable("PostgreSQL at 127.0.0.1 is down")));
    flaky.voidingDown = true;
    assertThat(preconfirm(tx).rejected().get(0).rejection().reason())
        .isEqualTo(Reason.BACKEND_UNAVAILABLE);
    f.store.failWith(null);
    flaky.voidingDown = false;
    assertThat(f.lanes.head(ALPHA)).isEqualTo(1);
    assertThat(f.lanes.isVoid(ALPHA, 1)).isFalse();
    return tx;
  }

  @Test
  void aStalePositionIsVoidedAndTheNextSubmissionGetsANewOne() {
    String tx = orphan();
    f.clock.advance(2 * TIMEOUT.toMillis() + 1);

    PreconfirmResult released = preconfirm(tx);
    Rejection why = released.rejected().get(0).rejection();
    assertThat(released.preconfirmations()).isEmpty();
    assertThat(why.code()).isEqualTo(ErrorCode.PRECONFIRMATION_GENERATION_FAILED);
    assertThat(why.reason()).isEqualTo(Reason.TIMEOUT);
    assertThat(why.message())
        .contains("held sequence 1 since " + EngineFixture.START)
        .contains("now void: resubmit");
    assertThat(f.lanes.isVoid(ALPHA, 1)).isTrue();

    PreconfirmResult again = preconfirm(tx);
    assertThat(again.preconfirmations()).hasSize(1);
    assertThat(again.preconfirmations().get(0).sequence()).isEqualTo(2);
    assertThat(f.store.size()).isEqualTo(1);
  }

  @Test
  void aResubmissionWaitingOnAHolderThatIsGoneIsPromisedAtANewPosition() throws Exception {
    String tx = orphan();
    f.clock.advance(1);

    // Waiting for a record lasts half the deadline: long enough here to claim again once or twice.
    Duration deadline = RecordedLookup.CLAIM_AGAIN_EVERY.multipliedBy(6);
    PreconfirmationEngine patient =
        f.engineOver(flaky, EngineConfig.defaults().withTimeouts(deadline, deadline));
    var answer =
        patient
            .preconfirm(new PreconfirmRequest(List.of(tx), false, null))
            .subscribeAsCompletionStage();
    Thread.sleep(RecordedLookup.CLAIM_AGAIN_EVERY.toMillis() / 2); // its first claim found it held
    flaky.holderGone = true;
    PreconfirmResult promised = answer.get(10, TimeUnit.SECONDS);

    assertThat(promised.rejected()).isEmpty();
    assertThat(promised.preconfirmations()).hasSize(1);
    assertThat(promised.preconfirmations().get(0).sequence()).isEqualTo(2);
    assertThat(f.lanes.isVoid(ALPHA, 1)).isTrue();
    assertThat(f.store.size()).isEqualTo(1);
  }

  @Test
  void aYoungUnrecordedPositionIsLeftToTheRequestThatMayStillRecordIt() {
    String tx = orphan();
    f.clock.advance(2 * TIMEOUT.toMillis());

    Rejection why = preconfirm(tx).rejected().get(0).rejection();
    assertThat(why.reason()).isEqualTo(Reason.TIMEOUT);
    assertThat(why.message()).contains("held by a concurrent request").doesNotContain("void");
    assertThat(f.lanes.isVoid(ALPHA, 1)).isFalse();
    assertThat(preconfirm(tx).preconfirmations()).isEmpty();
    assertThat(f.store.size()).isZero();
  }
}
