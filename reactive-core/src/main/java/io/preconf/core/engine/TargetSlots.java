package io.preconf.core.engine;

/**
 * The slots a leg may be promised for, {@code first} to {@code last}: one slot when the request
 * named it, a range when the lanes choose the earliest with room.
 */
record TargetSlots(long first, long last) {
  TargetSlots {
    if (last < first) {
      throw new IllegalArgumentException("target slots " + first + " to " + last);
    }
  }

  /** The range cut at {@code slot}, the latest the leg can still pay for; may leave it empty. */
  TargetSlots upTo(long slot) {
    return new TargetSlots(first, Math.max(first, Math.min(last, slot)));
  }
}
