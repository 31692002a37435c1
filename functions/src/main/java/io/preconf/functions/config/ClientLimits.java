package io.preconf.functions.config;

import io.preconf.core.error.Reason;
import io.preconf.core.error.Rejection;
import io.preconf.core.port.RateLimit;
import io.preconf.core.port.RateLimiter;
import io.preconf.core.types.Hex;
import io.preconf.wire.ForwardedFor;
import io.quarkus.arc.Arc;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;

/**
 * The per-client limit of {@code preconfirm} over HTTP ({@code preconf.limits.client-*}): a client
 * is its {@code X-Api-Key} when it sends one, else its address. On Lambda there is no client to
 * count: API Gateway's non-proxy integration hands the function the request body alone (no headers,
 * no source address), so a WAF rate-based rule per client address stands in (terraform's {@code
 * api_waf_rate_limit} per {@code api_waf_rate_window_s}, a window WAF evaluates, not this fixed
 * one); the sender limit, counted by the engine, holds there too.
 */
@ApplicationScoped
public class ClientLimits {
  static final String API_KEY = "X-Api-Key";

  @Inject PreconfConfig config;
  @Inject RateLimiter limiter;
  @Inject CurrentVertxRequest request;

  /**
   * A caller as the limit counts it.
   *
   * @param subject the count's key: a digest of the API key (never the key), or the address
   * @param shown how a refusal names it
   * @param http the HTTP request it made, whose answer a refusal turns into a 429
   */
  public record Client(String subject, String shown, RoutingContext http) {}

  /**
   * The client of the HTTP request being served, read on the thread serving it; null when none is
   * (Lambda, a timer) or when the limits are off.
   */
  public Client current() {
    if (!config.limits().enabled() || !Arc.container().requestContext().isActive()) {
      return null;
    }
    RoutingContext ctx = request.getCurrent();
    return ctx == null ? null : of(ctx);
  }

  /**
   * The client of {@code ctx}: its API key when it sent one, else its address; null when the limits
   * are off, as there is then nothing to count it against.
   */
  public Client of(RoutingContext ctx) {
    if (!config.limits().enabled()) {
      return null;
    }
    String key = ctx.request().getHeader(API_KEY);
    if (key != null && !key.isBlank()) {
      return new Client(
          "key:" + digest(key),
          "the client with API key \""
              + shown(key.length() > 4 ? key.substring(0, 4) + "..." : key)
              + "\" ("
              + key.length()
              + " characters)",
          ctx);
    }
    String address = address(ctx);
    return new Client("address:" + address, "client address " + shown(address), ctx);
  }

  /**
   * Counts {@code uses} (transactions) of {@code client}: {@link Duration#ZERO} when they fit, else
   * how long until its window ends. Nothing is counted when limits are off or there is no client.
   */
  public Uni<Duration> take(Client client, int uses) {
    if (client == null || !config.limits().enabled()) {
      return Uni.createFrom().item(Duration.ZERO);
    }
    return limiter.take(limit(), client.subject(), uses);
  }

  public Rejection refusal(Client client, Duration wait) {
    return limit().refusal(client.shown(), wait);
  }

  /**
   * Answers {@code client}'s HTTP request 429 with {@code Retry-After} when {@code why} is a rate
   * limit's refusal, whatever status the function's own writer sets.
   */
  public void tooMany(Client client, Rejection why, Duration wait) {
    if (why.reason() != Reason.RATE_LIMITED || client == null || client.http() == null) {
      return;
    }
    RoutingContext ctx = client.http();
    ctx.addHeadersEndHandler(
        v ->
            ctx.response()
                .setStatusCode(429)
                .putHeader("Retry-After", Long.toString(RateLimit.seconds(wait))));
  }

  private RateLimit limit() {
    PreconfConfig.Limits l = config.limits();
    return new RateLimit(
        "preconf.limits.client-max", l.clientMax(), l.clientWindow(), "transactions");
  }

  /** The client's address as the proxy nearest to us saw it, else the connection's peer. */
  private String address(RoutingContext ctx) {
    List<String> values =
        config
            .limits()
            .clientAddressHeader()
            .map(h -> ctx.request().headers().getAll(h))
            .orElse(List.of());
    String peer =
        ctx.request().remoteAddress() == null
            ? "unknown"
            : ctx.request().remoteAddress().hostAddress();
    return ForwardedFor.clientAddress(values, peer);
  }

  /** A header's value as a message quotes it: cut short, control characters shown as '?'. */
  private static String shown(String value) {
    String cut = value.length() > 64 ? value.substring(0, 61) + "..." : value;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }

  private static String digest(String key) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return Hex.encode(d).substring(2, 34);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
