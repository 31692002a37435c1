package io.preconf.core.types;

import io.preconf.core.error.Reason;
import java.util.Arrays;

/** A 32-byte hash (Solidity {@code bytes32}): transaction hashes, leaf hashes, Merkle roots. */
public final class Hash32 implements Comparable<Hash32> {
  public static final int SIZE = 32;
  public static final Hash32 ZERO = new Hash32(new byte[SIZE]);

  private final byte[] bytes;
  private int hash;

  /** {@link #toHex()}, once asked for (see {@link Bytes#toHex}). */
  private String hex;

  private Hash32(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Takes ownership of {@code bytes}; callers must not change them afterwards. */
  public static Hash32 wrap(byte[] bytes) {
    if (bytes.length != SIZE) {
      throw new MalformedValueException(
          Reason.WRONG_LENGTH, "a hash must be " + SIZE + " bytes, got " + bytes.length + " bytes");
    }
    return new Hash32(bytes);
  }

  public static Hash32 fromHex(String hex) {
    return fromHex("hash", hex);
  }

  /** Parses {@code hex}, naming the value as {@code what} in any error message. */
  public static Hash32 fromHex(String what, String hex) {
    byte[] b = Hex.decode(what, hex);
    if (b.length != SIZE) {
      throw new MalformedValueException(
          Reason.WRONG_LENGTH,
          what
              + " must be "
              + SIZE
              + " bytes, got "
              + b.length
              + " bytes: \""
              + Hex.abbreviate(hex)
              + "\"");
    }
    return new Hash32(b);
  }

  /** A copy of the bytes. */
  public byte[] toArray() {
    return bytes.clone();
  }

  /** Writes the 32 bytes into {@code out} at {@code offset}. */
  public void copyTo(byte[] out, int offset) {
    System.arraycopy(bytes, 0, out, offset, SIZE);
  }

  public byte get(int i) {
    return bytes[i];
  }

  public boolean isZero() {
    for (byte b : bytes) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  public String toHex() {
    String h = hex;
    if (h == null) {
      h = Hex.encode(bytes);
      hex = h;
    }
    return h;
  }

  /** Unsigned lexicographic order, the order OpenZeppelin's Merkle tree sorts by. */
  @Override
  public int compareTo(Hash32 other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Hash32 other && Arrays.equals(bytes, other.bytes);
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
    return toHex();
  }
}
