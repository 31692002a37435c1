package io.preconf.core.types;

import java.util.Arrays;

/** An immutable byte string of any length: raw transactions, signatures, public keys. */
public final class Bytes {
  public static final Bytes EMPTY = new Bytes(new byte[0]);

  private final byte[] bytes;

  /**
   * {@link #toHex()}, once asked for: a signature is written several times (the answer, the cache,
   * the feed) and an ML-DSA one is 6,620 characters of hex. A race computes it twice, to the same
   * value.
   */
  private String hex;

  /**
   * {@link #hashCode()}, once asked for (0: not yet), as String keeps its own: a round's commitment
   * is hashed as a set or map key for each of its preconfirmations, and its ML-DSA signature is
   * 3,309 bytes. A race computes it twice, to the same value.
   */
  private int hash;

  private Bytes(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Takes ownership of {@code bytes}; callers must not change them afterwards. */
  public static Bytes wrap(byte[] bytes) {
    return new Bytes(bytes);
  }

  public static Bytes fromHex(String what, String hex) {
    return new Bytes(Hex.decode(what, hex));
  }

  public int size() {
    return bytes.length;
  }

  public byte get(int i) {
    return bytes[i];
  }

  public byte[] toArray() {
    return bytes.clone();
  }

  /**
   * The backing array, without a copy, for hot paths that only read it (hashing, decoding). Never
   * write to it.
   */
  public byte[] unsafeArray() {
    return bytes;
  }

  public String toHex() {
    String h = hex;
    if (h == null) {
      h = Hex.encode(bytes);
      hex = h;
    }
    return h;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bytes other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = Arrays.hashCode(bytes);
      hash = h;
    }
    return h;
  }

  @Override
  public String toString() {
    return Hex.abbreviate(toHex());
  }
}
