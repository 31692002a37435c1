package io.preconf.functions.http;

import io.quarkus.arc.Arc;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * A function answer refused OVERLOADED goes out over HTTP as 503 with {@code Retry-After}, so that
 * clients and load balancers back off rather than resend at once; the body stays the function's
 * coded answer. On AWS Lambda, and for calls that do not come from a function's own HTTP route,
 * nothing changes.
 */
@ApplicationScoped
public class OverloadedAnswers {
  /** Seconds: a round takes milliseconds, so the queue has drained well before then. */
  static final String RETRY_AFTER_SECONDS = "1";

  @Inject CurrentVertxRequest current;

  /**
   * What marks the HTTP answer of the function being called now as overloaded. Taken while the
   * function is called (its HTTP request is then the current one), run once its answer is known.
   */
  public Runnable marker() {
    if (!Arc.container().requestContext().isActive()) {
      return () -> {};
    }
    return marker(current.getCurrent());
  }

  /** What marks {@code http}'s answer as overloaded; nothing when there is no HTTP request. */
  public Runnable marker(RoutingContext http) {
    if (http == null) {
      return () -> {};
    }
    return () ->
        http.addHeadersEndHandler(
            ignored ->
                http.response().setStatusCode(503).putHeader("Retry-After", RETRY_AFTER_SECONDS));
  }
}
