package io.preconf.functions.http;

import io.preconf.core.error.Rejection;
import io.preconf.wire.ErrorCodec;
import io.vertx.ext.web.RoutingContext;

/** The one way this HTTP surface answers a request it refuses: a status and a coded JSON body. */
final class HttpAnswers {
  private static final int SHOWN = 80;

  private HttpAnswers() {}

  static void refuse(RoutingContext ctx, int status, Rejection why) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(ErrorCodec.answer(why));
  }

  /** A client's value as a message quotes it: cut short, control characters shown as '?'. */
  static String shown(String value) {
    String cut = value.length() > SHOWN ? value.substring(0, SHOWN - 3) + "..." : value;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }
}
