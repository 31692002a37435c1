package io.preconf.core.types;

import io.preconf.core.error.Reason;

/** A rollup's EIP-155 chain id. Positive and within 53 bits, so that it is a safe JSON number. */
public record ChainId(long value) implements Comparable<ChainId> {
  public static final long MAX = (1L << 53) - 1;

  public ChainId {
    if (value <= 0 || value > MAX) {
      throw new MalformedValueException(
          Reason.OUT_OF_RANGE, "chainId must be between 1 and " + MAX + ", got " + value);
    }
  }

  public static ChainId of(long value) {
    return new ChainId(value);
  }

  @Override
  public int compareTo(ChainId o) {
    return Long.compare(value, o.value);
  }

  @Override
  public String toString() {
    return Long.toString(value);
  }
}
