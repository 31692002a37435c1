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
 */
public record FinalityConfig(int depth, int futureSlots) {
  public static final int DEFAULT_DEPTH = 12;

  public FinalityConfig {
    if (depth < 1) {
      throw new MalformedValueException(
          Reason.OUT_OF_RANGE, "finality depth must be at least 1, got " + depth);
    }
    if (futureSlots < 0) {
      throw new MalformedValueException(
          Reason.OUT_OF_RANGE, "futureSlots must not be negative, got " + futureSlots);
    }
  }

  public static FinalityConfig defaults() {
    return new FinalityConfig(DEFAULT_DEPTH, 1);
  }
}
