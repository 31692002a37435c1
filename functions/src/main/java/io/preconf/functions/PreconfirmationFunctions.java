package io.preconf.functions;

import com.fasterxml.jackson.databind.JsonNode;
import io.preconf.functions.ops.FunctionMetrics;
import io.quarkus.funqy.Funq;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;

/**
 * The engine's public face: each function is a thin adapter over {@link Functions}, the same JSON
 * on AWS Lambda ({@code quarkus.funqy.export} picks one per deployment) and over HTTP ({@code POST
 * /<name>}). Expected rejections are values in the result, never transport errors.
 */
public class PreconfirmationFunctions {
  @Inject Functions functions;
  @Inject FunctionMetrics metrics;

  @Funq
  public Uni<JsonNode> preconfirm(JsonNode body) {
    return metrics.timed("preconfirm", functions.preconfirm(body));
  }

  @Funq
  public Uni<JsonNode> validate(JsonNode body) {
    return metrics.timed("validate", functions.validate(body));
  }

  @Funq
  public Uni<JsonNode> status(JsonNode body) {
    return metrics.timed("status", functions.status(body));
  }

  /** Takes one rollup block and moves the promises it settles; see docs/finality.md. */
  @Funq
  public Uni<JsonNode> reconcile(JsonNode body) {
    return metrics.timed("reconcile", functions.reconcile(body));
  }

  @Funq
  public Uni<JsonNode> info(JsonNode body) {
    return metrics.timed("info", functions.info());
  }
}
