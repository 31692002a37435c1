package io.preconf.core.types;

import io.preconf.core.error.Reason;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Lowercase {@code 0x}-prefixed hex, the wire form of every byte string in the spec. Input accepts
 * either case; output is always lowercase.
 */
public final class Hex {
  private static final byte[] DIGITS = "0123456789abcdef".getBytes(StandardCharsets.ISO_8859_1);
  private static final byte[] VALUES = new byte[128];

  static {
    Arrays.fill(VALUES, (byte) -1);
    for (int i = 0; i < 10; i++) {
      VALUES['0' + i] = (byte) i;
    }
    for (int i = 0; i < 6; i++) {
      VALUES['a' + i] = (byte) (10 + i);
      VALUES['A' + i] = (byte) (10 + i);
    }
  }

  private Hex() {}

  public static String encode(byte[] bytes) {
    return encode(bytes, 0, bytes.length);
  }

  /**
   * Built as Latin-1 bytes, the form a String of hex digits keeps them in, so that making the
   * String is one copy (from chars it would be a pass compressing each char to a byte).
   */
  public static String encode(byte[] bytes, int offset, int length) {
    byte[] out = new byte[2 + 2 * length];
    out[0] = '0';
    out[1] = 'x';
    for (int i = 0; i < length; i++) {
      int b = bytes[offset + i] & 0xff;
      out[2 + 2 * i] = DIGITS[b >>> 4];
      out[3 + 2 * i] = DIGITS[b & 0x0f];
    }
    return new String(out, StandardCharsets.ISO_8859_1);
  }

  /**
   * Decodes {@code 0x}-prefixed hex with an even number of digits.
   *
   * @throws MalformedValueException naming the value when it is null, lacks the prefix, has an odd
   *     number of digits or a character that is not a hex digit
   */
  public static byte[] decode(String what, String hex) {
    if (hex == null) {
      throw new MalformedValueException(Reason.MISSING_FIELD, what + " is missing");
    }
    if (!(hex.startsWith("0x") || hex.startsWith("0X"))) {
      throw new MalformedValueException(
          Reason.MALFORMED_HEX, what + " must be 0x-prefixed hex, got \"" + abbreviate(hex) + "\"");
    }
    int digits = hex.length() - 2;
    if ((digits & 1) != 0) {
      throw new MalformedValueException(
          Reason.MALFORMED_HEX,
          what + " has an odd number of hex digits (" + digits + "): \"" + abbreviate(hex) + "\"");
    }
    byte[] out = new byte[digits / 2];
    for (int i = 0; i < out.length; i++) {
      int hi = digit(what, hex, 2 + 2 * i);
      int lo = digit(what, hex, 3 + 2 * i);
      out[i] = (byte) ((hi << 4) | lo);
    }
    return out;
  }

  /** The value of hex digit {@code c} of either case, or -1 when it is not one. */
  public static int value(int c) {
    return c >= 0 && c < 128 ? VALUES[c] : -1;
  }

  private static int digit(String what, String hex, int index) {
    char c = hex.charAt(index);
    int v = value(c);
    if (v < 0) {
      throw new MalformedValueException(
          Reason.MALFORMED_HEX,
          what
              + " has a non-hex character '"
              + c
              + "' at position "
              + index
              + ": \""
              + abbreviate(hex)
              + "\"");
    }
    return v;
  }

  /** Shortens long values so that messages stay one readable sentence. */
  public static String abbreviate(String value) {
    return value.length() <= 74
        ? value
        : value.substring(0, 40) + "…" + value.substring(value.length() - 8);
  }
}
