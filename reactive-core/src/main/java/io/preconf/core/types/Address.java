package io.preconf.core.types;

import io.preconf.core.error.Reason;
import java.util.Arrays;

/** A 20-byte Ethereum address. Input may be any case (EIP-55 included); output is lowercase. */
public final class Address {
  public static final int SIZE = 20;

  private final byte[] bytes;

  /** {@link #toHex()}, once asked for (see {@link Bytes#toHex}). */
  private String hex;

  private Address(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Takes ownership of {@code bytes}; callers must not change them afterwards. */
  public static Address wrap(byte[] bytes) {
    if (bytes.length != SIZE) {
      throw new MalformedValueException(
          Reason.WRONG_LENGTH,
          "an address must be " + SIZE + " bytes, got " + bytes.length + " bytes");
    }
    return new Address(bytes);
  }

  public static Address fromHex(String hex) {
    return fromHex("address", hex);
  }

  public static Address fromHex(String what, String hex) {
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
    return new Address(b);
  }

  public byte[] toArray() {
    return bytes.clone();
  }

  public void copyTo(byte[] out, int offset) {
    System.arraycopy(bytes, 0, out, offset, SIZE);
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
    return o instanceof Address other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return toHex();
  }
}
