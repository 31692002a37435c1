package io.preconf.core.tx;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.List;

/**
 * Canonical RLP encoding (Ethereum Yellow Paper, appendix B), for building transactions. Items are
 * byte strings, unsigned integers or lists of items.
 */
public final class RlpEncoder {
  private RlpEncoder() {}

  public static byte[] string(byte[] value) {
    if (value.length == 1 && (value[0] & 0xff) < 0x80) {
      return value.clone();
    }
    return withHeader(0x80, value);
  }

  public static byte[] integer(long value) {
    if (value < 0) {
      throw new IllegalArgumentException("RLP integers are unsigned, got " + value);
    }
    return integer(BigInteger.valueOf(value));
  }

  public static byte[] integer(BigInteger value) {
    if (value.signum() < 0) {
      throw new IllegalArgumentException("RLP integers are unsigned, got " + value);
    }
    if (value.signum() == 0) {
      return new byte[] {(byte) 0x80};
    }
    byte[] b = value.toByteArray();
    if (b[0] == 0) {
      byte[] trimmed = new byte[b.length - 1];
      System.arraycopy(b, 1, trimmed, 0, trimmed.length);
      b = trimmed;
    }
    return string(b);
  }

  /** A list of already-encoded items. */
  public static byte[] list(List<byte[]> encodedItems) {
    ByteArrayOutputStream payload = new ByteArrayOutputStream();
    for (byte[] item : encodedItems) {
      payload.writeBytes(item);
    }
    return withHeader(0xc0, payload.toByteArray());
  }

  private static byte[] withHeader(int offset, byte[] payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 9);
    if (payload.length < 56) {
      out.write(offset + payload.length);
    } else {
      byte[] len = BigInteger.valueOf(payload.length).toByteArray();
      int start = len[0] == 0 ? 1 : 0;
      out.write(offset + 55 + len.length - start);
      out.write(len, start, len.length - start);
    }
    out.writeBytes(payload);
    return out.toByteArray();
  }
}
