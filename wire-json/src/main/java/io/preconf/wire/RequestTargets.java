package io.preconf.wire;

import static io.preconf.core.error.ErrorCode.VALIDATION_FAILED;

import io.preconf.core.error.Reason;
import io.preconf.core.error.Rejection;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/**
 * Whether a request target is a URI at all (RFC 3986): every {@code %} followed by two hex digits,
 * and no character that must be percent-encoded (a space, {@code "}, {@code <}, {@code |}, ...).
 * The HTTP layer cannot read a target that is not, so the feed and the functions refuse it, naming
 * where it breaks.
 */
public final class RequestTargets {
  private static final int SHOWN = 60;

  private RequestTargets() {}

  /** Why {@code target} (path and query, as received) is not a URI; empty when it is one. */
  public static Optional<Rejection> malformed(String target) {
    try {
      new URI(target);
      return Optional.empty();
    } catch (URISyntaxException e) {
      return Optional.of(
          Rejection.of(VALIDATION_FAILED, Reason.MALFORMED_REQUEST, problem(target, e.getIndex())));
    }
  }

  private static String problem(String target, int index) {
    String shown = "the request target \"" + shorten(target) + "\" is not a valid URI: ";
    if (index < 0 || index >= target.length()) {
      return shown + "it must be a path and an optional percent-encoded query";
    }
    int percent = target.lastIndexOf('%', index);
    if (percent >= 0 && index - percent <= 2) {
      String escape = target.substring(percent, Math.min(target.length(), percent + 3));
      return shown
          + "\""
          + escape
          + "\" at index "
          + percent
          + " is not a percent-escape (% and two hex digits)";
    }
    return shown
        + "the character '"
        + target.charAt(index)
        + "' at index "
        + index
        + " must be percent-encoded";
  }

  private static String shorten(String s) {
    return s.length() <= SHOWN ? s : s.substring(0, SHOWN - 3) + "...";
  }
}
