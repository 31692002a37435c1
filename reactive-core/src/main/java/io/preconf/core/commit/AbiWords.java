package io.preconf.core.commit;

/**
 * Writes static Solidity ABI words (32 bytes each, big-endian, left-padded) into a buffer that the
 * caller zeroed. See the <a href="https://docs.soliditylang.org/en/latest/abi-spec.html">ABI
 * spec</a>.
 */
final class AbiWords {
  static final int WORD = 32;

  private AbiWords() {}

  /** A {@code uint64}: {@code value} is read as unsigned, so -1 encodes 2^64 - 1. */
  static void putUint64(byte[] out, int wordOffset, long value) {
    for (int i = 0; i < Long.BYTES; i++) {
      out[wordOffset + WORD - 1 - i] = (byte) (value >>> (8 * i));
    }
  }

  static void putBool(byte[] out, int wordOffset, boolean value) {
    out[wordOffset + WORD - 1] = (byte) (value ? 1 : 0);
  }
}
