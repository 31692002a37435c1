package io.preconf.functions.http;

import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.Rejection;
import io.preconf.functions.config.PreconfConfig;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * Guards the functions that change state without being a client's request ({@code reconcile}: it
 * moves promises to INCLUDED, FINALIZED or VIOLATED) over HTTP. They need a configured API key in
 * {@code X-Api-Key}, are off when none is configured, and take {@code application/json} bodies
 * only, so that a web page cannot post to them without a CORS preflight this server never grants.
 * On AWS the route's IAM authorization does this job.
 */
@ApplicationScoped
public class OperatorGate {
  static final String HEADER = "X-Api-Key";
  private static final List<String> OPERATOR_FUNCTIONS = List.of("reconcile");

  @Inject PreconfConfig config;

  void install(@Observes Router router) {
    for (String function : OPERATOR_FUNCTIONS) {
      // Before the functions' own route, so that nothing refused here is ever read.
      router.route("/" + function).order(-100).handler(ctx -> admit(ctx, function));
    }
  }

  private void admit(RoutingContext ctx, String function) {
    Rejection refused = refusal(function, ctx.request().getHeader("Content-Type"), ctx);
    if (refused == null) {
      ctx.next();
    } else {
      HttpAnswers.refuse(ctx, status(refused.reason()), refused);
    }
  }

  private Rejection refusal(String function, String contentType, RoutingContext ctx) {
    List<String> keys = config.reconcile().apiKeys().orElse(List.of());
    if (keys.stream().allMatch(String::isBlank)) {
      return Rejection.of(
          ErrorCode.SECURITY_VALIDATION_FAILED,
          Reason.OPERATION_DISABLED,
          function
              + " is off over HTTP: no preconf.reconcile.api-keys is configured (a followed node,"
              + " preconf.rollups[i].rpc-url, feeds the blocks instead)");
    }
    String key = ctx.request().getHeader(HEADER);
    if (key == null || key.isBlank()) {
      return Rejection.of(
          ErrorCode.SECURITY_VALIDATION_FAILED,
          Reason.API_KEY_REQUIRED,
          function + " needs an operator key in the " + HEADER + " header, and none was sent");
    }
    if (keys.stream().noneMatch(k -> sameKey(k, key))) {
      // The key itself is never echoed: it may be a real key of another service, mistyped.
      return Rejection.of(
          ErrorCode.SECURITY_VALIDATION_FAILED,
          Reason.UNKNOWN_API_KEY,
          "the " + HEADER + " sent (" + key.length() + " characters) is not a key of " + function);
    }
    if (!isJson(contentType)) {
      return Rejection.of(
          ErrorCode.VALIDATION_FAILED,
          Reason.UNSUPPORTED_MEDIA_TYPE,
          function
              + " takes application/json bodies only, got Content-Type "
              + (contentType == null ? "(none)" : "\"" + HttpAnswers.shown(contentType) + "\""));
    }
    return null;
  }

  private static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
    return type.equalsIgnoreCase("application/json");
  }

  private static boolean sameKey(String configured, String sent) {
    return MessageDigest.isEqual(
        configured.getBytes(StandardCharsets.UTF_8), sent.getBytes(StandardCharsets.UTF_8));
  }

  private static int status(Reason reason) {
    return switch (reason) {
      case API_KEY_REQUIRED -> 401;
      case UNSUPPORTED_MEDIA_TYPE -> 415;
      default -> 403;
    };
  }
}
