package io.preconf.feed;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Starts the feed with Quarkus's check of request targets off: that check answers a target that is
 * not a valid URI (such as {@code /feed?from=%}) with a bare 400 before any route runs, where the
 * feed answers every refused handshake with an error frame and a close code ({@link
 * UnreadableTargets} makes the same check, first of all routes). Quarkus reads the switch when its
 * HTTP layer is loaded, so it is set before Quarkus starts.
 */
@QuarkusMain
public final class FeedMain {
  static final String URI_VALIDATION_OFF = "vertx.disableURIValidation";

  private FeedMain() {}

  public static void main(String... args) {
    System.setProperty(URI_VALIDATION_OFF, "true");
    Quarkus.run(args);
  }
}
