package io.preconf.wire;

import io.preconf.core.types.Hex;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * {@code 0x}-prefixed hex read where it lies in a body's bytes, without making a String of it
 * first: an ML-DSA signature is 6,618 digits, and a String of them is a copy that is read once and
 * dropped. Accepts what {@link Hex#decode} accepts, digits of either case.
 */
final class HexText {
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private HexText() {}

  /**
   * The bytes {@code text[from..to)} spells as {@code 0x}-prefixed hex with an even number of
   * digits, or null when it spells none. Eight digits are checked and decoded at a time.
   */
  static byte[] decode(byte[] text, int from, int to) {
    int digits = to - from - 2;
    if (digits < 0 || (digits & 1) != 0 || text[from] != '0' || (text[from + 1] | 0x20) != 'x') {
      return null;
    }
    byte[] out = new byte[digits / 2];
    int at = from + 2;
    int i = 0;
    for (; i + 4 <= out.length; i += 4, at += 8) {
      long word = fourBytes((long) LONG.get(text, at));
      if (word < 0) {
        return null;
      }
      INT.set(out, i, (int) word);
    }
    for (; i < out.length; i++, at += 2) {
      int hi = Hex.value(text[at]);
      int lo = Hex.value(text[at + 1]);
      if ((hi | lo) < 0) {
        return null;
      }
      out[i] = (byte) ((hi << 4) | lo);
    }
    return out;
  }

  private static final long HIGH_BITS = 0x8080808080808080L;

  /**
   * The four bytes eight hex digits spell (the first digit in the low byte of {@code chars}), as
   * the low 32 bits of the answer, or -1 when any of the eight is not a hex digit. Each byte is
   * tested for a range by adding what carries its high bit exactly from the range's bound: with the
   * high bits clear first, no byte carries into the next.
   */
  private static long fourBytes(long chars) {
    if ((chars & HIGH_BITS) != 0) {
      return -1;
    }
    long folded = chars | 0x2020202020202020L; // 'A'..'F' to 'a'..'f', digits unchanged
    long printable = chars + 0x6060606060606060L; // >= 0x20: control characters fold onto digits
    long digit = (folded + 0x5050505050505050L) & ~(folded + 0x4646464646464646L);
    long letter = (folded + 0x1f1f1f1f1f1f1f1fL) & ~(folded + 0x1919191919191919L);
    if (((digit | letter) & printable & HIGH_BITS) != HIGH_BITS) {
      return -1;
    }
    long nibbles = (folded & 0x0f0f0f0f0f0f0f0fL) + ((letter & HIGH_BITS) >>> 7) * 9;
    long pairs = ((nibbles & 0x00ff00ff00ff00ffL) << 4) | ((nibbles >>> 8) & 0x00ff00ff00ff00ffL);
    pairs = (pairs | (pairs >>> 8)) & 0x0000ffff0000ffffL;
    return (pairs | (pairs >>> 16)) & 0xffffffffL;
  }

  private static final long ONES = 0x0101010101010101L;

  /**
   * Where in {@code text}, from {@code from}, the first byte lies that a JSON string's plain text
   * cannot hold unescaped (a quote, a backslash, a control character) or that is beyond ASCII; -1
   * when none does. Eight bytes are tested at a time.
   */
  static int firstSpecial(byte[] text, int from) {
    int at = from;
    for (; at + 8 <= text.length; at += 8) {
      long x = (long) LONG.get(text, at);
      long quote = x ^ ONES * '"';
      long backslash = x ^ ONES * '\\';
      long found =
          ((x - ONES * 0x20) | (quote - ONES) & ~quote | (backslash - ONES) & ~backslash | x)
              & HIGH_BITS;
      if (found != 0) {
        break;
      }
    }
    for (; at < text.length; at++) {
      byte c = text[at];
      if (c == '"' || c == '\\' || c < 0x20) {
        return at;
      }
    }
    return -1;
  }

  /**
   * Whether {@code text[at..at + 2 * bytes.length)} is exactly the lowercase hex digits of {@code
   * bytes} (the form every engine writes), the text not decoded but compared with the digits the
   * bytes make, eight at a time. Another spelling of the same bytes (uppercase digits) answers
   * false: its caller decodes it instead.
   */
  static boolean spells(byte[] text, int at, byte[] bytes) {
    if (at < 0 || at + 2L * bytes.length > text.length) {
      return false;
    }
    int i = 0;
    for (; i + 4 <= bytes.length; i += 4, at += 8) {
      if ((long) LONG.get(text, at) != digits((int) INT.get(bytes, i))) {
        return false;
      }
    }
    for (; i < bytes.length; i++, at += 2) {
      long two = digits(bytes[i] & 0xff);
      if (text[at] != (byte) two || text[at + 1] != (byte) (two >>> 8)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The eight lowercase hex digits of four bytes (the first in the low byte of {@code word}), as
   * the eight bytes of a little-endian long: each byte's two nibbles spread into bytes of their
   * own, high nibble first, then '0' added to each, and 'a' - '0' - 10 more to those above 9.
   */
  private static long digits(int word) {
    long x = word & 0xffffffffL;
    x = (x | (x << 16)) & 0x0000ffff0000ffffL;
    x = (x | (x << 8)) & 0x00ff00ff00ff00ffL;
    long nibbles = ((x >>> 4) & 0x000f000f000f000fL) | ((x & 0x000f000f000f000fL) << 8);
    long letters = ((nibbles + 0x0606060606060606L) >>> 4) & 0x0101010101010101L;
    return nibbles + 0x3030303030303030L + letters * ('a' - '0' - 10);
  }
}
