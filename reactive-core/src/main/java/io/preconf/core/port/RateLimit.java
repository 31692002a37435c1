package io.preconf.core.port;

import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.Rejection;
import java.time.Duration;
import java.util.Objects;

/**
 * At most {@code max} uses per subject within each fixed {@code window}.
 *
 * @param name the setting the limit comes from, as a refusal names it
 * @param per what the subjects are, as a refusal counts them ("transactions", "requests")
 */
public record RateLimit(String name, int max, Duration window, String per) {
  public RateLimit {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(per, "per");
    if (max < 1) {
      throw new IllegalArgumentException(name + " must allow at least 1 use, got " + max);
    }
    if (window.toMillis() < 1) {
      throw new IllegalArgumentException(name + " needs a window of at least 1 ms, got " + window);
    }
  }

  /** Whole seconds to wait, rounded up, as HTTP's {@code Retry-After} counts them (at least 1). */
  public static long seconds(Duration wait) {
    return Math.max(1, (wait.toMillis() + 999) / 1000);
  }

  /** The refusal of {@code who} (a sender, a client) over this limit, naming both. */
  public Rejection refusal(String who, Duration wait) {
    return Rejection.of(
        ErrorCode.SECURITY_VALIDATION_FAILED,
        Reason.RATE_LIMITED,
        who
            + " is over "
            + name
            + " ("
            + max
            + " "
            + per
            + " per "
            + window.toMillis()
            + " ms); retry after "
            + seconds(wait)
            + " s");
  }
}
