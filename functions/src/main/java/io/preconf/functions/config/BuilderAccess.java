package io.preconf.functions.config;

import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.Rejection;
import io.preconf.core.error.Result;
import io.quarkus.arc.Arc;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

/**
 * Who may see the signed bytes of promised transactions not yet included ({@code lane}): over HTTP,
 * a caller whose {@code X-Api-Key} header is one of {@code preconf.builders.api-keys}; on AWS,
 * where the route takes only callers signed with IAM credentials, every caller ({@code
 * preconf.builders.trust-every-caller}, set by the deployment).
 */
@ApplicationScoped
public class BuilderAccess {
  public static final String HEADER = "X-Api-Key";

  @ConfigMapping(prefix = "preconf.builders")
  public interface Settings {
    /** The keys block builders send in {@code X-Api-Key}. */
    Optional<List<String>> apiKeys();

    /** Every caller is authorised: the route in front already authenticated it (IAM). */
    @WithDefault("false")
    boolean trustEveryCaller();
  }

  @Inject Settings settings;
  @Inject CurrentVertxRequest request;

  /**
   * Whether this call's caller is authorised; an {@code X-Api-Key} that is no known key is a coded
   * refusal, so that a builder with a mistyped key hears so instead of silently getting no bytes.
   */
  public Result<Boolean> authorised() {
    if (settings.trustEveryCaller()) {
      return Result.ok(true);
    }
    String sent = header();
    if (sent == null) {
      return Result.ok(false);
    }
    byte[] given = sent.getBytes(StandardCharsets.UTF_8);
    for (String key : settings.apiKeys().orElse(List.of())) {
      if (MessageDigest.isEqual(key.getBytes(StandardCharsets.UTF_8), given)) {
        return Result.ok(true);
      }
    }
    return Result.err(
        Rejection.of(
            ErrorCode.VALIDATION_FAILED,
            Reason.UNKNOWN_API_KEY,
            HEADER
                + " \""
                + (sent.length() > 4 ? sent.substring(0, 4) + "…" : sent)
                + "\" ("
                + sent.length()
                + " characters) is not a known block builder key"));
  }

  /** The header of the HTTP request being served; null on Lambda, which has no such request. */
  private String header() {
    if (!Arc.container().requestContext().isActive()) {
      return null;
    }
    RoutingContext current = request.getCurrent();
    return current == null ? null : current.request().getHeader(HEADER);
  }
}
