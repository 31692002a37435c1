package io.preconf.functions.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.RejectedException;
import io.preconf.core.error.Rejection;
import io.preconf.functions.rpc.FabricGateway;
import io.preconf.functions.rpc.FabricGateway.Form;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The eth-fabric Commitments API's REST routes (commitments-specs {@code commitments-api.md}),
 * answering in the spec's signature form; the chain is the signed transaction's own. A refusal is
 * 400 (404 for an unknown request hash, 500 for the engine's own failure) with the coded error.
 */
@ApplicationScoped
public class FabricRoute {
  private static final String BASE = "/commitments/v0/gateway/";
  private static final long MAX_BODY_BYTES = 256 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  @Inject FabricGateway gateway;

  void install(@Observes Router router) {
    BodyHandler body = BodyHandler.create().setBodyLimit(MAX_BODY_BYTES);
    router
        .post(BASE + "commitmentRequest")
        .handler(body)
        .handler(
            ctx -> withBody(ctx, b -> gateway.commitmentRequest(Optional.empty(), b, Form.SPEC)));
    router
        .get(BASE + "commitmentResult/:requestHash")
        .handler(
            ctx ->
                answer(
                    ctx,
                    () ->
                        gateway.commitmentResult(
                            Optional.empty(),
                            TextNode.valueOf(ctx.pathParam("requestHash")),
                            Form.SPEC)));
    router
        .get(BASE + "slots")
        .handler(ctx -> answer(ctx, () -> Uni.createFrom().item(gateway.slots(Optional.empty()))));
    // The spec's prose posts the fee request; its OpenAPI file gets it with a body: both are
    // served.
    router
        .post(BASE + "fee")
        .handler(body)
        .handler(ctx -> withBody(ctx, b -> gateway.fee(Optional.empty(), b, Form.SPEC)));
    router
        .get(BASE + "fee")
        .handler(body)
        .handler(ctx -> withBody(ctx, b -> gateway.fee(Optional.empty(), b, Form.SPEC)));
  }

  private void withBody(RoutingContext ctx, Function<JsonNode, Uni<JsonNode>> work) {
    String text = ctx.body() == null ? null : ctx.body().asString();
    JsonNode body;
    try {
      body = text == null || text.isBlank() ? null : JSON.readTree(text);
    } catch (JsonProcessingException e) {
      HttpAnswers.refuse(
          ctx,
          400,
          Rejection.of(
              ErrorCode.VALIDATION_FAILED,
              Reason.MALFORMED_REQUEST,
              "the body is not valid JSON: "
                  + HttpAnswers.shown(e.getOriginalMessage())
                  + " (body: "
                  + HttpAnswers.shown(text)
                  + ")"));
      return;
    }
    answer(ctx, () -> work.apply(body));
  }

  private void answer(RoutingContext ctx, Supplier<Uni<? extends JsonNode>> work) {
    Uni.createFrom()
        .deferred(work)
        .subscribe()
        .with(
            answer ->
                ctx.response().putHeader("Content-Type", "application/json").end(answer.toString()),
            failure -> refuse(ctx, failure));
  }

  private static void refuse(RoutingContext ctx, Throwable failure) {
    if (failure instanceof RejectedException r) {
      HttpAnswers.refuse(ctx, 500, r.rejection());
      return;
    }
    Optional<Rejection> coded = FabricGateway.coded(failure);
    if (coded.isPresent()) {
      HttpAnswers.refuse(ctx, coded.get().reason() == Reason.NOT_FOUND ? 404 : 400, coded.get());
      return;
    }
    // Not a refusal: the router's failure handler logs it and answers 500, coded.
    ctx.fail(500, failure);
  }
}
