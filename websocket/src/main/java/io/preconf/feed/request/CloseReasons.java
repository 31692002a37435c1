package io.preconf.feed.request;

import java.nio.charset.StandardCharsets;

/** Close frames carry at most 123 bytes of reason (RFC 6455, 5.5.1). */
public final class CloseReasons {
  public static final int MAX_BYTES = 123;

  private CloseReasons() {}

  /** {@code text} cut to fit, ending in "..." when cut. */
  public static String fit(String text) {
    if (text.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES) {
      return text;
    }
    StringBuilder out = new StringBuilder();
    int bytes = 0;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      int size = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
      if (bytes + size > MAX_BYTES - 3) {
        break;
      }
      out.appendCodePoint(cp);
      bytes += size;
      i += Character.charCount(cp);
    }
    return out.append("...").toString();
  }
}
