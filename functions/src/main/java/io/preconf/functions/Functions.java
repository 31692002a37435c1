package io.preconf.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.preconf.core.engine.PreconferInfo;
import io.preconf.core.engine.PreconfirmationEngine;
import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.RejectedException;
import io.preconf.core.error.Rejection;
import io.preconf.core.error.Result;
import io.preconf.core.port.Clock;
import io.preconf.core.pull.LanePage;
import io.preconf.core.pull.LanePull;
import io.preconf.core.pull.LaneRequest;
import io.preconf.core.reconcile.ReconcileResult;
import io.preconf.core.reconcile.Reconciliation;
import io.preconf.core.status.PromiseStatus;
import io.preconf.core.status.StatusLookup;
import io.preconf.core.validation.Validation;
import io.preconf.functions.config.BuilderAccess;
import io.preconf.functions.json.FinalityJson;
import io.preconf.functions.json.InfoJson;
import io.preconf.functions.json.LaneJson;
import io.preconf.functions.json.PreconfirmResponse;
import io.preconf.functions.json.Requests;
import io.preconf.functions.json.StatusJson;
import io.preconf.functions.json.ValidateResponse;
import io.preconf.functions.ops.FunctionMetrics;
import io.quarkus.funqy.Funq;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The engine's public face: each function reads its request, hands it to a core use case and writes
 * the answer, the same JSON on AWS Lambda ({@code quarkus.funqy.export} picks one per deployment)
 * and over HTTP ({@code POST /<name>}). Expected rejections are values in the answer, never
 * transport errors.
 */
public class Functions {
  private static final Logger LOG = Logger.getLogger(Functions.class);

  @Inject PreconfirmationEngine engine;
  @Inject Validation validation;
  @Inject StatusLookup statuses;
  @Inject Reconciliation reconciliation;
  @Inject PreconferInfo preconfer;
  @Inject Clock clock;
  @Inject ObjectMapper json;
  @Inject FunctionMetrics metrics;
  @Inject LanePull lanes;
  @Inject BuilderAccess builders;

  @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev")
  String version;

  @Funq
  public Uni<PreconfirmResponse> preconfirm(JsonNode body) {
    return answer(
        "preconfirm",
        Requests.preconfirm(body).fold(engine::preconfirm, engine::refuse),
        PreconfirmResponse::of,
        PreconfirmResponse::refused);
  }

  @Funq
  public Uni<ValidateResponse> validate(JsonNode body) {
    return answer(
        "validate",
        Requests.validate(body)
            .fold(
                v -> validation.validate(v.preconfirmation(), v.rawTransaction()),
                validation::refuse),
        ValidateResponse::of,
        ValidateResponse::invalid);
  }

  @Funq
  public Uni<JsonNode> status(JsonNode body) {
    return answer(
        "status",
        Requests.status(body).fold(statuses::status, statuses::refuse),
        status -> StatusJson.of(json, status),
        why -> StatusJson.of(json, PromiseStatus.NotFound.because(why)));
  }

  /** Takes one rollup block and moves the promises it settles; see docs/finality.md. */
  @Funq
  public Uni<JsonNode> reconcile(JsonNode body) {
    return answer(
        "reconcile",
        Requests.block(body).fold(reconciliation::reconcile, reconciliation::refuse),
        FinalityJson::result,
        why -> FinalityJson.result(ReconcileResult.refused(null, why)));
  }

  /**
   * A lane's entries for block builders, from a sequence or for a target slot, a page at a time;
   * the signed bytes of transactions not yet included only for authorised callers.
   */
  @Funq
  public Uni<JsonNode> lane(JsonNode body) {
    Result<LaneRequest> request =
        builders.authorised().flatMap(authorised -> Requests.lane(body, authorised));
    return answer(
        "lane",
        request.fold(lanes::pull, why -> item(Result.<LanePage>err(why))),
        result ->
            result.fold(page -> LaneJson.page(json, page), why -> LaneJson.refused(json, why)),
        why -> LaneJson.refused(json, why));
  }

  @Funq
  public Uni<JsonNode> info(JsonNode body) {
    return metrics.timed("info", item(InfoJson.of(json, preconfer, clock.nowMillis(), version)));
  }

  /**
   * Times {@code work} as one call of {@code function} and writes its answer; a failure no use case
   * expected is answered by {@code failed}, coded.
   */
  private <R, A> Uni<A> answer(
      String function, Uni<R> work, Function<R, A> write, Function<Rejection, A> failed) {
    return metrics.timed(
        function,
        work.onItem()
            .transform(write)
            .onFailure()
            .recoverWithItem(failure -> failed.apply(unexpected(function, failure))));
  }

  private static Rejection unexpected(String function, Throwable failure) {
    if (failure instanceof RejectedException r) {
      return r.rejection();
    }
    LOG.errorf(failure, "%s failed unexpectedly", function);
    return Rejection.of(
        ErrorCode.TRANSACTION_PROCESSING_FAILED,
        Reason.INTERNAL_ERROR,
        function + " failed unexpectedly (" + failure.getClass().getSimpleName() + ")");
  }

  private static <T> Uni<T> item(T value) {
    return Uni.createFrom().item(value);
  }
}
