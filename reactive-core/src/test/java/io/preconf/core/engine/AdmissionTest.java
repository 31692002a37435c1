package io.preconf.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AdmissionTest {
  private static final Duration DEADLINE = Duration.ofSeconds(3);
  private static final RoundLimits LIMITS = RoundLimits.defaults();

  @Test
  void roundsThatTookEverythingWaitingLeaveTheBoundAtItsCap() {
    Admission admission = new Admission(LIMITS, DEADLINE);

    // A lone request's round that took a whole second (a cold first claim, say): the rounds kept
    // up with what arrived, so it says nothing of how many a round can take at once.
    admission.served(1, Duration.ofSeconds(1).toNanos(), false);
    admission.served(3, Duration.ofMillis(500).toNanos(), false);

    assertThat(admission.bound()).isEqualTo(LIMITS.maxWaiting());
  }

  @Test
  void roundsThatLeftRequestsQueuedSetThePace() {
    Admission admission = new Admission(LIMITS, DEADLINE);

    // 256 requests a second: half the 3 s deadline serves 384.
    admission.served(256, Duration.ofSeconds(1).toNanos(), true);
    assertThat(admission.bound()).isEqualTo(384);

    // A round that kept up afterwards leaves the measured pace as it was.
    admission.served(1, Duration.ofSeconds(2).toNanos(), false);
    assertThat(admission.bound()).isEqualTo(384);

    // Never below one full round, however slow the rounds that were behind.
    admission.served(1, Duration.ofSeconds(10).toNanos(), true);
    assertThat(admission.bound()).isEqualTo(LIMITS.maxRequests());
  }

  @Test
  void pastTheBoundNoPlaceIsGiven() {
    Admission admission = new Admission(new RoundLimits(1, 2_048, 2), DEADLINE);

    assertThat(admission.admit()).isNotNull();
    assertThat(admission.admit()).isNotNull();
    assertThat(admission.admit()).isNull();
    assertThat(admission.overloaded().message()).contains("2 requests waiting");
  }
}
