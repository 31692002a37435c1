package io.preconf.core.delivery;

import java.time.Duration;

/**
 * How long to wait before the {@code attempt}-th retry: {@code first}, doubling each time, never
 * more than {@code max}.
 */
public record Backoff(Duration first, Duration max) {
  public Backoff {
    if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
      throw new IllegalArgumentException(
          "a back-off needs 0 < first <= max, got first " + first + " and max " + max);
    }
  }

  /** The wait before retry number {@code attempt} (1 for the first retry). */
  public Duration delay(int attempt) {
    int doublings = Math.min(Math.max(attempt, 1) - 1, 30);
    long ms = first.toMillis() << doublings;
    return ms <= 0 || ms > max.toMillis() ? max : Duration.ofMillis(ms);
  }
}
