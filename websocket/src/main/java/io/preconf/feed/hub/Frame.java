package io.preconf.feed.hub;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One text frame of the feed, encoded once: a preconfirmation goes to every subscriber of its lane
 * as the same bytes, so a node writing it to a thousand sockets encodes it once, not a thousand
 * times.
 */
public final class Frame {
  private final String text;
  private final byte[] utf8;
  private volatile ByteBuffer wire;

  private Frame(String text) {
    this.text = text;
    this.utf8 = text.getBytes(StandardCharsets.UTF_8);
  }

  public static Frame text(String text) {
    return new Frame(text);
  }

  public String text() {
    return text;
  }

  /** The frame's payload. Shared by every send: never write to it. */
  public byte[] utf8() {
    return utf8;
  }

  /**
   * The whole frame as a server puts it on the wire (RFC 6455 section 5.2: FIN, text, not masked,
   * the payload's length, the payload), in direct memory so that a socket write copies nothing.
   * Built on first use and shared: take a {@link ByteBuffer#duplicate()} to write it. The direct
   * memory goes back when the frame is collected; a frame holds its text and bytes on the heap too,
   * so young collections come long before direct memory could run short.
   */
  public ByteBuffer wire() {
    ByteBuffer w = wire;
    if (w == null) {
      w = encode(utf8);
      wire = w; // two threads may both encode it; either result is the same bytes
    }
    return w;
  }

  private static ByteBuffer encode(byte[] payload) {
    int n = payload.length;
    int lengthBytes = n <= 125 ? 0 : n <= 0xFFFF ? 2 : 8;
    ByteBuffer b = ByteBuffer.allocateDirect(2 + lengthBytes + n);
    b.put((byte) 0x81); // FIN, opcode 1 (text)
    if (lengthBytes == 0) {
      b.put((byte) n);
    } else if (lengthBytes == 2) {
      b.put((byte) 126).putShort((short) n);
    } else {
      b.put((byte) 127).putLong(n);
    }
    return b.put(payload).flip().asReadOnlyBuffer();
  }

  @Override
  public String toString() {
    return text;
  }
}
