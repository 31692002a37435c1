package io.preconf.core.finality;

import io.preconf.core.error.Reason;
import io.preconf.core.types.MalformedValueException;

/**
 * How finality is judged.
 *
 * @param depth how many blocks must sit on top of an including block before its inclusion is
 *     FINALIZED; also how deep a reorg may reach: a block that many below the head is never
 *     replaced
 * @param futureSlots how many slots ahead of the engine's clock a block may claim to be (clock
 *     skew); a block further ahead is refused, since it would declare promises broken early
 * @param maxAhead how many heights above the recorded head a block may be: a feeder that skipped
 *     heights may start again that far up, no further, so that one made-up block far ahead can
 *     never become the chain's new start and lock every genuine block out
 */
public record FinalityConfig(int depth, int futureSlots, long maxAhead) {
  public static final int DEFAULT_DEPTH = 12;

  /** A day of one-second blocks: further than any feeder that was merely away skips. */
  public static final long DEFAULT_MAX_AHEAD = 86_400;

  public FinalityConfig {
    if (depth < 1) {
      throw new MalformedValueException(
          Reason.OUT_OF_RANGE, "finality depth must be at least 1, got " + depth);
    }
    if (futureSlots < 0) {
      throw new MalformedValueException(
          Reason.OUT_OF_RANGE, "futureSlots must not be negative, got " + futureSlots);
    }
    if (maxAhead < 1) {
      throw new MalformedValueException(
          Reason.OUT_OF_RANGE, "maxAhead must be at least 1, got " + maxAhead);
    }
  }

  public FinalityConfig(int depth, int futureSlots) {
    this(depth, futureSlots, DEFAULT_MAX_AHEAD);
  }

  public static FinalityConfig defaults() {
    return new FinalityConfig(DEFAULT_DEPTH, 1);
  }
}
