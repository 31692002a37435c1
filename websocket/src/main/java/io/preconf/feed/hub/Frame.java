package io.preconf.feed.hub;

import java.nio.charset.StandardCharsets;

/**
 * One text frame of the feed, encoded once: a preconfirmation goes to every subscriber of its lane
 * as the same bytes, so a node writing it to a thousand sockets encodes it once, not a thousand
 * times.
 */
public final class Frame {
  private final String text;
  private final byte[] utf8;

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

  @Override
  public String toString() {
    return text;
  }
}
