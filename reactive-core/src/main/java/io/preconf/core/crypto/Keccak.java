package io.preconf.core.crypto;

import io.preconf.core.types.Hash32;
import org.bouncycastle.crypto.digests.KeccakDigest;

/** Ethereum's keccak256 (the original Keccak padding, not NIST SHA3-256). */
public final class Keccak {
  private Keccak() {}

  public static Hash32 hash(byte[] input) {
    return hash(input, 0, input.length);
  }

  public static Hash32 hash(byte[] input, int offset, int length) {
    return Hash32.wrap(digest(input, offset, length));
  }

  /** The 32-byte digest as a fresh array, for callers that keep hashing. */
  public static byte[] digest(byte[] input, int offset, int length) {
    KeccakDigest d = new KeccakDigest(256);
    d.update(input, offset, length);
    byte[] out = new byte[32];
    d.doFinal(out, 0);
    return out;
  }

  /** keccak256(a ++ b) without building the concatenation. */
  public static byte[] digest(byte[] a, byte[] b) {
    KeccakDigest d = new KeccakDigest(256);
    d.update(a, 0, a.length);
    d.update(b, 0, b.length);
    byte[] out = new byte[32];
    d.doFinal(out, 0);
    return out;
  }
}
