package io.preconf.core.wire;

/**
 * Numbers on the wire are JSON numbers that fit in 53 bits (spec, conventions), so that every JSON
 * reader, JavaScript's included, holds them exactly.
 */
public final class WireNumbers {
  /** 2^53 - 1, the largest number the contract carries. */
  public static final long MAX_SAFE = (1L << 53) - 1;

  private WireNumbers() {}
}
