package io.preconf.functions.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.Rejection;
import io.preconf.wire.ErrorCodec;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Funqy answers a body it cannot parse with a bare 400. This gives that 400 a coded body naming
 * what is wrong, in the contract's error shape, so that malformed JSON is answered like any other
 * bad input.
 */
@ApplicationScoped
public class MalformedBodyHandler {
  @Inject ObjectMapper json;

  void install(@Observes Router router) {
    // Ordered first, so it sees Funqy's 400 before Quarkus's default failure handler answers it.
    router
        .route()
        .order(Integer.MIN_VALUE)
        .failureHandler(
            ctx -> {
              if (ctx.statusCode() == 400 && ctx.failure() == null && !ctx.response().ended()) {
                explain(ctx);
              } else {
                ctx.next();
              }
            });
  }

  private void explain(RoutingContext ctx) {
    String body = ctx.body() == null ? null : ctx.body().asString();
    String problem;
    try {
      json.readTree(body == null ? "" : body);
      problem = "the request body could not be read as this function's input";
    } catch (JsonProcessingException e) {
      problem =
          "the request body is not valid JSON: "
              + e.getOriginalMessage().replaceAll("\\s*\\(start marker at \\[Source:.*?\\]\\)", "")
              + " at line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr();
    }
    ctx.response()
        .setStatusCode(400)
        .putHeader("Content-Type", "application/json")
        .end(
            ErrorCodec.answer(
                Rejection.of(ErrorCode.VALIDATION_FAILED, Reason.MALFORMED_REQUEST, problem)));
  }
}
