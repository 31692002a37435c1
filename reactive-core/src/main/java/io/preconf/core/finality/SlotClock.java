package io.preconf.core.finality;

import io.preconf.core.rollup.RollupConfig;
import io.preconf.core.types.ChainId;

/**
 * The part of a rollup's configuration that evidence needs to be checked offline: when slot 0
 * starts and how long a slot is, so that a checker can tell whether a promise was still in force
 * when its target slot ended.
 */
public record SlotClock(ChainId chainId, long genesisTimeMs, long slotDurationMs) {

  public static SlotClock of(RollupConfig rollup) {
    return new SlotClock(rollup.chainId(), rollup.genesisTimeMs(), rollup.slotDurationMs());
  }

  /** Unix ms at which {@code slot} starts. */
  public long slotStartMs(long slot) {
    return genesisTimeMs + slot * slotDurationMs;
  }

  /** Unix ms at which {@code slot} ends: the deadline of a promise targeting it. */
  public long slotEndMs(long slot) {
    return slotStartMs(slot + 1);
  }
}
