package io.preconf.functions;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Starts the functions with Quarkus's check of request targets off: that check answers a target
 * that is not a valid URI (such as {@code /info?x=%zz}) with a bare 400 before any route runs,
 * where this HTTP surface answers every refusal as JSON ({@link
 * io.preconf.functions.http.JsonErrors} makes the same check, first of all routes). Quarkus reads
 * the switch when its HTTP layer is loaded, so it is set before Quarkus starts. On Lambda the
 * runtime starts Quarkus through its handler, not this main, and no request target is read.
 */
@QuarkusMain
public final class FunctionsMain {
  private FunctionsMain() {}

  public static void main(String... args) {
    System.setProperty("vertx.disableURIValidation", "true");
    Quarkus.run(args);
  }
}
