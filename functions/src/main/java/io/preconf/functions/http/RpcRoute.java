package io.preconf.functions.http;

import io.preconf.functions.config.ClientLimits;
import io.preconf.functions.rpc.EthereumRpc;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code POST /rpc/<chainId>} over HTTP: the body as it came, so that JSON that does not parse is
 * answered by JSON-RPC's -32700 rather than by Funqy's 400. Every answer is HTTP 200, errors
 * included, as Ethereum nodes answer.
 */
@ApplicationScoped
public class RpcRoute {
  /** Large enough for a batch over the bound to be read and refused by its count. */
  private static final long MAX_BODY_BYTES = 4L * 1024 * 1024;

  @Inject EthereumRpc rpc;
  @Inject ClientLimits clients;

  void install(@Observes Router router) {
    router
        .post("/rpc/:chainId")
        .handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES))
        .handler(this::answer);
  }

  private void answer(RoutingContext ctx) {
    String body = ctx.body() == null ? null : ctx.body().asString();
    Map<String, String> headers = new HashMap<>();
    ctx.request()
        .headers()
        .forEach(h -> headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
    rpc.answer(ctx.pathParam("chainId"), body, headers, clients.of(ctx))
        .subscribe()
        .with(
            answer ->
                ctx.response().putHeader("Content-Type", "application/json").end(answer.toString()),
            ctx::fail);
  }
}
