package io.preconf.infra.util;

import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.RejectedException;
import io.preconf.core.error.Rejection;
import io.smallrye.mutiny.Uni;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BoundedCallsTest {
  private static final Duration AWAIT = Duration.ofSeconds(10);
  private static final Rejection CONFLICT =
      Rejection.invalidTransaction(Reason.NONCE_CONFLICT, "a second promise");

  private final BoundedCalls calls =
      new BoundedCalls(
          "Store at 10.0.0.1:1",
          Duration.ofMillis(100),
          (what, failure) -> failure instanceof IllegalStateException ? CONFLICT : null);

  private static RejectedException refused(Uni<?> call) {
    try {
      call.await().atMost(AWAIT);
    } catch (RejectedException e) {
      return e;
    }
    throw new AssertionError("the call was not refused");
  }

  @Test
  void anAnswerInTimePassesThrough() {
    assertThat(calls.bound("reading", Uni.createFrom().item(7)).await().atMost(AWAIT)).isEqualTo(7);
  }

  @Test
  void noAnswerIsBackendUnavailableNamingServerStepAndTimeout() {
    long start = System.nanoTime();

    RejectedException e = refused(calls.bound("reading lane 5", Uni.createFrom().nothing()));

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(e.rejection().code()).isEqualTo(ErrorCode.STORAGE_FAILED);
    assertThat(e.rejection().reason()).isEqualTo(Reason.BACKEND_UNAVAILABLE);
    assertThat(e.getMessage())
        .isEqualTo("reading lane 5: Store at 10.0.0.1:1 did not answer within 100 ms");
  }

  @Test
  void aBrokenBackendIsUnavailableWithItsInnermostMessage() {
    Uni<Object> reset =
        Uni.createFrom()
            .failure(new RuntimeException("wrapped", new IOException("connection reset")));

    RejectedException e = refused(calls.bound("writing", reset));

    assertThat(e.rejection().reason()).isEqualTo(Reason.BACKEND_UNAVAILABLE);
    assertThat(e.getMessage()).isEqualTo("writing: Store at 10.0.0.1:1 failed: connection reset");
    assertThat(e.getCause()).hasMessage("wrapped");
  }

  @Test
  void aFailureTheBackendRecognisesIsItsRejection() {
    RejectedException e =
        refused(calls.bound("writing", Uni.createFrom().failure(new IllegalStateException())));

    assertThat(e.rejection()).isEqualTo(CONFLICT);
  }

  @Test
  void aRejectionFromBelowIsKeptAsItIs() {
    RejectedException below = new RejectedException(CONFLICT);

    assertThat(refused(calls.bound("writing", Uni.createFrom().failure(below)))).isSameAs(below);
  }
}
