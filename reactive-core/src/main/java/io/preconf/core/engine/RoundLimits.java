package io.preconf.core.engine;

import io.preconf.core.error.Reason;
import io.preconf.core.types.MalformedValueException;

/**
 * How requests are grouped into rounds, and how many may wait for one.
 *
 * @param maxRequests the most requests one round takes
 * @param maxLegs the most transactions one round takes; a request is never split, so a round takes
 *     at least one request whatever its size
 * @param maxWaiting the most requests admitted and not yet taken by a round; {@link Admission}
 *     lowers the bound further to what the rounds, at their measured pace, serve in time
 */
public record RoundLimits(int maxRequests, int maxLegs, int maxWaiting) {

  public RoundLimits {
    positive("maxRequests", maxRequests);
    positive("maxLegs", maxLegs);
    positive("maxWaiting", maxWaiting);
  }

  /** Rounds of up to 256 requests or 2,048 transactions, and up to 4,096 requests waiting. */
  public static RoundLimits defaults() {
    return new RoundLimits(256, 2_048, 4_096);
  }

  private static void positive(String name, int value) {
    if (value <= 0) {
      throw new MalformedValueException(
          Reason.OUT_OF_RANGE, name + " must be positive, got " + value);
    }
  }
}
