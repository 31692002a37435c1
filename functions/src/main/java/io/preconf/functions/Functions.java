package io.preconf.functions;

import com.fasterxml.jackson.databind.JsonNode;
import io.preconf.core.engine.IndexedRejection;
import io.preconf.core.engine.PreconferInfo;
import io.preconf.core.engine.PreconfirmRequest;
import io.preconf.core.engine.PreconfirmResult;
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
import io.preconf.core.validation.ValidationReport;
import io.preconf.functions.config.BuilderAccess;
import io.preconf.functions.config.ClientLimits;
import io.preconf.functions.config.PreconfConfig;
import io.preconf.functions.http.OverloadedAnswers;
import io.preconf.functions.ops.FunctionMetrics;
import io.preconf.functions.rpc.EthereumRpc;
import io.preconf.wire.FunctionRequests;
import io.preconf.wire.FunctionResponses;
import io.preconf.wire.WireFormatException;
import io.quarkus.funqy.Funq;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The engine's public face: each function reads its request, hands it to a core use case and writes
 * the answer, the same JSON on AWS Lambda ({@code quarkus.funqy.export} picks one per deployment)
 * and over HTTP ({@code POST /<name>}). The JSON, both ways, is wire-json's. Expected rejections
 * are values in the answer, never transport errors.
 *
 * <p>One instance serves every call: without a scope Funqy would build one per call, resolving each
 * injected field and reading {@code quarkus.application.version} again every time.
 */
@Singleton
public class Functions {
  private static final Logger LOG = Logger.getLogger(Functions.class);

  @Inject PreconfirmationEngine engine;
  @Inject Validation validation;
  @Inject StatusLookup statuses;
  @Inject Reconciliation reconciliation;
  @Inject PreconferInfo preconfer;
  @Inject Clock clock;
  @Inject FunctionMetrics metrics;
  @Inject EthereumRpc ethereum;
  @Inject LanePull lanes;
  @Inject BuilderAccess builders;
  @Inject OverloadedAnswers overload;
  @Inject ClientLimits clients;
  @Inject PreconfConfig config;

  @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev")
  String version;

  @Funq
  public Uni<JsonNode> preconfirm(JsonNode body) {
    return preconfirmFor(body, clients.current());
  }

  /**
   * {@code preconfirm}, its transactions counted against {@code client}'s limit first (null: a
   * caller with no client, or one counted already). Refused OVERLOADED, it is answered over HTTP
   * with 503 and Retry-After.
   */
  public Uni<JsonNode> preconfirmFor(JsonNode body, ClientLimits.Client client) {
    return preconfirmFor(body, client, overload.marker());
  }

  /** The same, {@code overloaded} run when the answer is refused OVERLOADED. */
  public Uni<JsonNode> preconfirmFor(
      JsonNode body, ClientLimits.Client client, Runnable overloaded) {
    return preconfirmAs(body, client, overloaded, FunctionResponses::preconfirm);
  }

  /**
   * The same answer as its text, written in one pass ({@link FunctionResponses#preconfirmText}),
   * for a caller that sends it as it is.
   */
  public Uni<String> preconfirmTextFor(
      JsonNode body, ClientLimits.Client client, Runnable overloaded) {
    return preconfirmAs(body, client, overloaded, FunctionResponses::preconfirmText);
  }

  private <A> Uni<A> preconfirmAs(
      JsonNode body,
      ClientLimits.Client client,
      Runnable overloaded,
      Function<PreconfirmResult, A> write) {
    return answer(
        "preconfirm",
        read(() -> FunctionRequests.preconfirm(body))
            .fold(request -> limited(request, client), engine::refuse)
            .invoke(
                result -> {
                  if (result.error() != null && result.error().reason() == Reason.OVERLOADED) {
                    overloaded.run();
                  }
                }),
        write,
        why -> write.apply(PreconfirmResult.refused(why)));
  }

  /**
   * The request refused whole when its client is over its limit, else the engine's answer; either
   * is answered HTTP 429 when a limit left it nothing promised.
   */
  private Uni<PreconfirmResult> limited(PreconfirmRequest request, ClientLimits.Client client) {
    return clients
        .take(client, request.transactions().size())
        .onItem()
        .transformToUni(
            wait -> {
              if (!wait.isZero()) {
                Rejection why = clients.refusal(client, wait);
                clients.tooMany(client, why, wait);
                return engine.refuse(why);
              }
              return engine
                  .preconfirm(request)
                  .onItem()
                  .invoke(
                      result ->
                          senderLimited(result)
                              .ifPresent(
                                  why ->
                                      // The sender's window is the longest its refusal may ask
                                      // to wait.
                                      clients.tooMany(
                                          client, why, config.limits().senderWindow())));
            })
        // The client's limit could not be counted (Redis is down): refused, and counted, as the
        // engine refuses whatever it cannot do safely.
        .onFailure(RejectedException.class)
        .recoverWithUni(failure -> engine.refuse(((RejectedException) failure).rejection()));
  }

  /** A sender's limit refusal, when it left the request nothing promised. */
  private static Optional<Rejection> senderLimited(PreconfirmResult result) {
    if (!result.preconfirmations().isEmpty()) {
      return Optional.empty();
    }
    return result.rejected().stream()
        .map(IndexedRejection::rejection)
        .filter(why -> why.reason() == Reason.RATE_LIMITED)
        .findFirst();
  }

  /**
   * One preconfirmation, or many in the batch form {@code {"preconfirmations": [..]}} answered
   * {@code {"results": [..]}}, each result what {@code validate} says of that one alone.
   */
  @Funq
  public Uni<JsonNode> validate(JsonNode body) {
    return validate(read(() -> FunctionRequests.validations(body)));
  }

  /** {@code validate} of a body already read, or of the rejection of a batch refused whole. */
  public Uni<JsonNode> validate(Result<FunctionRequests.Validations> request) {
    return validateAs(
        request,
        FunctionResponses::validate,
        FunctionResponses::validations,
        FunctionResponses::validationsRefused);
  }

  /**
   * The same answer as its text ({@link FunctionResponses#validationsText}), for a caller that
   * sends it as it is: a batch's answer made without a tree of a node per result.
   */
  public Uni<String> validateText(JsonNode body) {
    return validateText(read(() -> FunctionRequests.validations(body)));
  }

  /** The same, of a body already read. */
  public Uni<String> validateText(Result<FunctionRequests.Validations> request) {
    return validateAs(
        request,
        FunctionResponses::validateText,
        FunctionResponses::validationsText,
        why -> FunctionResponses.validationsRefused(why).toString());
  }

  private <A> Uni<A> validateAs(
      Result<FunctionRequests.Validations> request,
      Function<List<Rejection>, A> one,
      Function<List<List<Rejection>>, A> many,
      Function<Rejection, A> refusedWhole) {
    if (!request.isOk()) {
      return answer(
          "validate", Uni.createFrom().item(request.rejection()), refusedWhole, refusedWhole);
    }
    FunctionRequests.Validations validations = request.value();
    if (!validations.batch()) {
      return answer(
          "validate",
          validations
              .items()
              .get(0)
              .fold(
                  v -> validation.validate(v.preconfirmation(), v.rawTransaction()),
                  validation::refuse),
          report -> one.apply(report.errors()),
          why -> one.apply(List.of(why)));
    }
    List<Result<Validation.Asked>> asked =
        validations.items().stream()
            .map(
                item ->
                    item.map(v -> new Validation.Asked(v.preconfirmation(), v.rawTransaction())))
            .toList();
    return answer(
        "validate",
        validation.validateAll(asked),
        reports -> many.apply(reports.stream().map(ValidationReport::errors).toList()),
        refusedWhole);
  }

  @Funq
  public Uni<JsonNode> status(JsonNode body) {
    return answer(
        "status",
        read(() -> FunctionRequests.status(body)).fold(statuses::status, statuses::refuse),
        FunctionResponses::status,
        why -> FunctionResponses.status(PromiseStatus.NotFound.because(why)));
  }

  /** Takes one rollup block and moves the promises it settles; see docs/finality.md. */
  @Funq
  public Uni<JsonNode> reconcile(JsonNode body) {
    return answer(
        "reconcile",
        read(() -> FunctionRequests.block(body))
            .fold(reconciliation::reconcile, reconciliation::refuse),
        FunctionResponses::reconcile,
        why -> FunctionResponses.reconcile(ReconcileResult.refused(null, why)));
  }

  /**
   * A lane's entries for block builders, from a sequence or for a target slot, a page at a time;
   * the signed bytes of transactions not yet included only for authorised callers.
   */
  @Funq
  public Uni<JsonNode> lane(JsonNode body) {
    Result<LaneRequest> request =
        builders
            .authorised()
            .flatMap(authorised -> read(() -> FunctionRequests.lane(body, authorised)));
    return answer(
        "lane",
        request.fold(lanes::pull, why -> Uni.createFrom().item(Result.<LanePage>err(why))),
        result -> result.fold(FunctionResponses::lane, FunctionResponses::laneRefused),
        FunctionResponses::laneRefused);
  }

  @Funq
  public Uni<JsonNode> info(JsonNode body) {
    return metrics.timed(
        "info",
        Uni.createFrom()
            .item(
                FunctionResponses.info(
                    preconfer.signer(),
                    preconfer.pqPublicKey(),
                    preconfer.rollups().all(),
                    clock.nowMillis(),
                    version)));
  }

  /**
   * The Ethereum JSON-RPC front door on Lambda: API Gateway's {@code POST /rpc/{chainId}} hands it
   * {@code {"chainId": "<path>", "body": "<the request body, base64>"}} (terraform/api.tf), so that
   * a body that is not JSON still reaches the function and is answered -32700.
   */
  @Funq
  public Uni<JsonNode> rpc(JsonNode envelope) {
    String chain = envelope == null ? "" : envelope.path("chainId").asText("");
    String body = envelope == null ? "" : envelope.path("body").asText("");
    String text;
    try {
      text = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      text = body;
    }
    Map<String, String> headers = new HashMap<>();
    if (envelope != null) {
      envelope
          .path("headers")
          .fields()
          .forEachRemaining(
              h -> headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue().asText()));
    }
    return metrics.timed("rpc", ethereum.answer(chain, text, headers, null));
  }

  /** A request body as its use case takes it, or the coded rejection naming what is wrong. */
  private static <T> Result<T> read(Supplier<T> reader) {
    try {
      return Result.ok(reader.get());
    } catch (WireFormatException e) {
      return Result.err(e.rejection());
    }
  }

  /**
   * Times {@code work} as one call of {@code function} and writes its answer; a failure no use case
   * expected is answered by {@code failed}, coded.
   */
  private <R, A> Uni<A> answer(
      String function, Uni<R> work, Function<R, ? extends A> write, Function<Rejection, A> failed) {
    return metrics.timed(
        function,
        work.onItem()
            .<A>transform(write)
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
}
