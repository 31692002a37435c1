package io.preconf.core.tx;

import java.math.BigInteger;

/**
 * A strict reader of Recursive Length Prefix encoding over a byte array, without copying payloads.
 * It accepts only the canonical form, as go-ethereum's {@code rlp} package does: a single byte
 * below 0x80 is never wrapped in a string header, the long forms are never used for payloads under
 * 56 bytes, lengths and integers carry no leading zero bytes, and nothing runs past its enclosing
 * list or follows the top-level item.
 *
 * @see <a href="https://ethereum.org/en/developers/docs/data-structures-and-encoding/rlp/">RLP</a>
 * @see <a
 *     href="https://github.com/ethereum/go-ethereum/blob/master/rlp/decode.go">go-ethereum/rlp</a>
 */
final class Rlp {
  private static final int SHORT_STRING = 0x80;
  private static final int LONG_STRING = 0xb8;
  private static final int SHORT_LIST = 0xc0;
  private static final int LONG_LIST = 0xf8;

  private Rlp() {}

  /**
   * Reads the list whose header starts at {@code offset} and must end exactly at the end of {@code
   * buf}.
   *
   * @param what names the value in error messages
   */
  static ListReader topLevelList(byte[] buf, int offset, String what) throws MalformedRlpException {
    ListReader whole = new ListReader(buf, offset, buf.length);
    whole.next(what);
    if (!whole.isList) {
      throw new MalformedRlpException(what + " must be an RLP list, got a byte string");
    }
    if (whole.payloadEnd != buf.length) {
      throw new MalformedRlpException(
          what
              + " is followed by "
              + (buf.length - whole.payloadEnd)
              + " trailing bytes after its RLP list");
    }
    return new ListReader(buf, whole.payloadStart, whole.payloadEnd);
  }

  /** The number of bytes of a list header for a payload of {@code payloadLength} bytes. */
  static int listHeaderLength(int payloadLength) {
    return payloadLength < 56 ? 1 : 1 + byteLength(payloadLength);
  }

  /** Writes a list header for {@code payloadLength} bytes at {@code offset}; returns its length. */
  static int writeListHeader(int payloadLength, byte[] out, int offset) {
    if (payloadLength < 56) {
      out[offset] = (byte) (SHORT_LIST + payloadLength);
      return 1;
    }
    int n = byteLength(payloadLength);
    out[offset] = (byte) (LONG_LIST - 1 + n);
    for (int i = n; i >= 1; i--) {
      out[offset + i] = (byte) payloadLength;
      payloadLength >>>= 8;
    }
    return 1 + n;
  }

  /** The canonical encoding of a non-negative integer as an RLP string. */
  static byte[] encodeUint(long value) {
    if (value == 0) {
      return new byte[] {(byte) SHORT_STRING};
    }
    if (value > 0 && value < SHORT_STRING) {
      return new byte[] {(byte) value};
    }
    int n = byteLength(value);
    byte[] out = new byte[1 + n];
    out[0] = (byte) (SHORT_STRING + n);
    for (int i = n; i >= 1; i--) {
      out[i] = (byte) value;
      value >>>= 8;
    }
    return out;
  }

  private static int byteLength(long value) {
    return (Long.SIZE - Long.numberOfLeadingZeros(value) + 7) / 8;
  }

  /**
   * Walks the items of one list's payload in order. After each {@code next...} call the item's
   * bounds are in {@link #itemStart()}, {@link #payloadStart()} and {@link #payloadEnd()}.
   */
  static final class ListReader {
    private final byte[] buf;
    private final int end;
    private int pos;

    private boolean isList;
    private int itemStart;
    private int payloadStart;
    private int payloadEnd;

    private ListReader(byte[] buf, int start, int end) {
      this.buf = buf;
      this.pos = start;
      this.end = end;
    }

    boolean hasNext() {
      return pos < end;
    }

    /** Offset of the next item's header, or the end of the list. */
    int position() {
      return pos;
    }

    int itemStart() {
      return itemStart;
    }

    int payloadStart() {
      return payloadStart;
    }

    int payloadEnd() {
      return payloadEnd;
    }

    int payloadLength() {
      return payloadEnd - payloadStart;
    }

    /** The number of items left, each header checked; the position does not move. */
    int countRemaining(String what) throws MalformedRlpException {
      int saved = pos;
      int count = 0;
      try {
        while (pos < end) {
          next(what);
          count++;
        }
      } finally {
        pos = saved;
      }
      return count;
    }

    /** Reads the next item, string or list. */
    void next(String what) throws MalformedRlpException {
      if (pos >= end) {
        throw new MalformedRlpException(what + " is missing: its list ends at offset " + end);
      }
      itemStart = pos;
      int prefix = buf[pos] & 0xff;
      if (prefix < SHORT_STRING) {
        isList = false;
        payloadStart = pos;
        payloadEnd = pos + 1;
      } else if (prefix < LONG_STRING) {
        isList = false;
        payloadStart = pos + 1;
        payloadEnd = bounded(what, payloadStart, prefix - SHORT_STRING);
        if (prefix == SHORT_STRING + 1 && (buf[payloadStart] & 0xff) < SHORT_STRING) {
          throw new MalformedRlpException(
              what
                  + " at offset "
                  + pos
                  + " wraps the single byte 0x"
                  + hexByte(buf[payloadStart])
                  + " in a string header; it must stand alone");
        }
      } else if (prefix < SHORT_LIST) {
        isList = false;
        readLongLength(what, prefix - LONG_STRING + 1);
      } else if (prefix < LONG_LIST) {
        isList = true;
        payloadStart = pos + 1;
        payloadEnd = bounded(what, payloadStart, prefix - SHORT_LIST);
      } else {
        isList = true;
        readLongLength(what, prefix - LONG_LIST + 1);
      }
      pos = payloadEnd;
    }

    /** Reads the next item, which must be a byte string. */
    void nextString(String what) throws MalformedRlpException {
      next(what);
      if (isList) {
        throw new MalformedRlpException(
            what + " at offset " + itemStart + " must be a byte string, got a list");
      }
    }

    /** Reads the next item, which must be a list, and returns a reader over its items. */
    ListReader nextList(String what) throws MalformedRlpException {
      next(what);
      if (!isList) {
        throw new MalformedRlpException(
            what + " at offset " + itemStart + " must be a list, got a byte string");
      }
      return new ListReader(buf, payloadStart, payloadEnd);
    }

    /**
     * Reads the next item as an unsigned big-endian integer of at most {@code maxBytes} bytes, in
     * canonical form: no leading zero byte, so zero is the empty string.
     */
    void nextUint(String what, int maxBytes) throws MalformedRlpException {
      nextString(what);
      int length = payloadEnd - payloadStart;
      if (length > maxBytes) {
        throw new MalformedRlpException(
            what + " is " + length + " bytes long, more than the " + maxBytes + " allowed");
      }
      if (length > 0 && buf[payloadStart] == 0) {
        throw new MalformedRlpException(
            what + " at offset " + itemStart + " is an integer with a leading zero byte");
      }
    }

    /** True when the last integer read fits a signed long without becoming negative. */
    boolean fitsLong() {
      int length = payloadEnd - payloadStart;
      return length < 8 || (length == 8 && buf[payloadStart] >= 0);
    }

    /** The last integer read as a long; only after {@link #fitsLong()}. */
    long longValue() {
      long v = 0;
      for (int i = payloadStart; i < payloadEnd; i++) {
        v = (v << 8) | (buf[i] & 0xff);
      }
      return v;
    }

    /** The last integer read as a non-negative BigInteger. */
    BigInteger bigValue() {
      int length = payloadEnd - payloadStart;
      if (length == 0) {
        return BigInteger.ZERO;
      }
      if (length < 8) {
        return BigInteger.valueOf(longValue());
      }
      return new BigInteger(1, buf, payloadStart, length);
    }

    private void readLongLength(String what, int lengthOfLength) throws MalformedRlpException {
      int lengthStart = pos + 1;
      if (lengthOfLength > end - lengthStart) {
        throw new MalformedRlpException(
            what + " at offset " + pos + " has a length of length that runs past its list");
      }
      if (buf[lengthStart] == 0) {
        throw new MalformedRlpException(
            what + " at offset " + pos + " has a length with a leading zero byte");
      }
      long length = 0;
      for (int i = 0; i < lengthOfLength; i++) {
        length = (length << 8) | (buf[lengthStart + i] & 0xff);
      }
      // Eight length bytes with the top bit set wrap negative; both cases are far past any input.
      if (length < 0 || length > Integer.MAX_VALUE) {
        throw new MalformedRlpException(
            what
                + " at offset "
                + pos
                + " claims a payload of "
                + Long.toUnsignedString(length)
                + " bytes, past the end of its list");
      }
      if (length < 56) {
        throw new MalformedRlpException(
            what
                + " at offset "
                + pos
                + " uses the long form for a "
                + length
                + "-byte payload; under 56 bytes the short form is canonical");
      }
      payloadStart = lengthStart + lengthOfLength;
      payloadEnd = bounded(what, payloadStart, (int) length);
    }

    private int bounded(String what, int start, int length) throws MalformedRlpException {
      if (length > end - start) {
        throw new MalformedRlpException(
            what
                + " at offset "
                + itemStart
                + " claims a payload of "
                + length
                + " bytes but only "
                + (end - start)
                + " remain in its list");
      }
      return start + length;
    }
  }

  private static String hexByte(byte b) {
    return Integer.toHexString((b & 0xff) | 0x100).substring(1);
  }

  /**
   * Input that is not canonical RLP. Checked, so that it cannot escape the decoder, and without a
   * stack trace, because it describes bad input rather than a bug.
   */
  static final class MalformedRlpException extends Exception {
    MalformedRlpException(String message) {
      super(message, null, false, false);
    }
  }
}
