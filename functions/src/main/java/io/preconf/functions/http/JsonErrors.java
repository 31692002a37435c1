package io.preconf.functions.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.Rejection;
import io.preconf.wire.RequestTargets;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Every answer this HTTP surface gives outside a function's own is JSON in the contract's error
 * shape (spec section 6), naming the bad value, with no exception text: a request target that is
 * not a valid URI, a body Funqy could not read, a body too large, an unknown path, a wrong method,
 * and any failure nothing else answered.
 */
@ApplicationScoped
public class JsonErrors {
  private static final Logger LOG = Logger.getLogger(JsonErrors.class);
  private static final Set<String> FUNCTIONS =
      Set.of("preconfirm", "validate", "status", "reconcile", "info");

  @Inject ObjectMapper json;

  @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K")
  Optional<MemorySize> maxBodySize;

  void install(@Observes Router router) {
    // First of all: no other route can read such a target (FunctionsMain turns Quarkus's own
    // check, a bare 400, off).
    router.route().order(Integer.MIN_VALUE).handler(this::readable);
    // Before Quarkus's own size check, which answers an empty 413.
    router.route().order(-3).handler(this::bounded);
    // Ordered first, so it sees every failure before Quarkus's default failure handler does.
    router.route().order(Integer.MIN_VALUE).failureHandler(this::failed);
    // Last: whatever no route took.
    router.route().order(Integer.MAX_VALUE).handler(this::unrouted);
  }

  private void readable(RoutingContext ctx) {
    if (!refusedTarget(ctx)) {
      ctx.next();
    }
  }

  private void bounded(RoutingContext ctx) {
    if (!refusedLength(ctx)) {
      ctx.next();
    }
  }

  /** Answers 400 naming the fault, and says so, when the request target is not a valid URI. */
  boolean refusedTarget(RoutingContext ctx) {
    Optional<Rejection> malformed = RequestTargets.malformed(ctx.request().uri());
    malformed.ifPresent(why -> HttpAnswers.refuse(ctx, 400, why));
    return malformed.isPresent();
  }

  /** Answers 413, and says so, when the request announces a body above the limit. */
  boolean refusedLength(RoutingContext ctx) {
    String length = ctx.request().getHeader("Content-Length");
    long limit = limit();
    if (length != null && limit > 0 && parsedLength(length) > limit) {
      ctx.response().putHeader("Connection", "close");
      HttpAnswers.refuse(ctx, 413, tooLarge("Content-Length " + HttpAnswers.shown(length), limit));
      return true;
    }
    return false;
  }

  /** Answers 400 naming what is wrong with {@code body}, a body no function could read. */
  void refuseMalformed(RoutingContext ctx, byte[] body) {
    HttpAnswers.refuse(ctx, 400, malformed(body));
  }

  private void failed(RoutingContext ctx) {
    if (ctx.response().ended()) {
      return;
    }
    int status = ctx.statusCode();
    if (status == 413) {
      HttpAnswers.refuse(ctx, 413, tooLarge("the body", limit()));
    } else if (status == 400 || ctx.failure() instanceof JsonProcessingException) {
      HttpAnswers.refuse(
          ctx,
          400,
          malformed(
              ctx.body() == null || ctx.body().buffer() == null
                  ? new byte[0]
                  : ctx.body().buffer().getBytes()));
    } else if (status == 404 || status == 405) {
      unrouted(ctx);
    } else {
      LOG.errorf(ctx.failure(), "%s %s failed", ctx.request().method(), ctx.normalizedPath());
      HttpAnswers.refuse(
          ctx,
          500,
          Rejection.of(
              ErrorCode.TRANSACTION_PROCESSING_FAILED,
              Reason.INTERNAL_ERROR,
              ctx.request().method()
                  + " "
                  + HttpAnswers.shown(ctx.normalizedPath())
                  + " failed inside the engine; it is logged"));
    }
  }

  private void unrouted(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    String name = path.startsWith("/") ? path.substring(1) : path;
    if (FUNCTIONS.contains(name)) {
      ctx.response().putHeader("Allow", "POST");
      HttpAnswers.refuse(
          ctx,
          405,
          Rejection.of(
              ErrorCode.VALIDATION_FAILED,
              Reason.METHOD_NOT_ALLOWED,
              "/"
                  + name
                  + " takes POST with a JSON body, not "
                  + HttpAnswers.shown(ctx.request().method().name())));
      return;
    }
    HttpAnswers.refuse(
        ctx,
        404,
        Rejection.of(
            ErrorCode.VALIDATION_FAILED,
            Reason.UNKNOWN_PATH,
            "no function at "
                + HttpAnswers.shown(path)
                + "; the functions are POST /preconfirm, /validate, /status, /reconcile and"
                + " /info"));
  }

  /** What is wrong with a body Funqy could not read: read again, from its bytes, to say where. */
  private Rejection malformed(byte[] body) {
    String problem;
    try {
      json.readTree(body);
      problem =
          "the request body is JSON but could not be read as this function's input: it takes"
              + " one JSON object";
    } catch (StreamConstraintsException e) {
      // Jackson's limits (nesting depth, number and string length) name the size and the limit.
      problem =
          "the request body is refused: "
              + e.getOriginalMessage().replaceAll(", from `[^`]*`", "").replace("`", "");
    } catch (JsonProcessingException e) {
      problem =
          "the request body is not valid JSON: "
              + e.getOriginalMessage()
                  .replaceAll("\\s*\\(start marker at \\[Source:.*?\\]\\)", "")
                  .replace("`", "")
              + where(e);
    } catch (IOException e) {
      problem = "the request body could not be read (" + body.length + " bytes)";
    }
    return Rejection.of(ErrorCode.VALIDATION_FAILED, Reason.MALFORMED_REQUEST, problem);
  }

  private static String where(JsonProcessingException e) {
    return e.getLocation() == null
        ? ""
        : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
  }

  private static Rejection tooLarge(String what, long limit) {
    return Rejection.of(
        ErrorCode.VALIDATION_FAILED,
        Reason.BODY_TOO_LARGE,
        what + " is above the largest body taken, " + limit + " bytes");
  }

  /** The largest body taken, in bytes; not positive when there is none. */
  long limit() {
    return maxBodySize.map(MemorySize::asLongValue).orElse(-1L);
  }

  private static long parsedLength(String length) {
    try {
      return Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
