package io.preconf.functions;

import static io.preconf.core.error.ErrorCode.VALIDATION_FAILED;

import com.fasterxml.jackson.databind.JsonNode;
import io.preconf.core.commit.TrackedPreconfirmation;
import io.preconf.core.engine.PreconfirmRequest;
import io.preconf.core.engine.PreconfirmResult;
import io.preconf.core.engine.PreconfirmationEngine;
import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.RejectedException;
import io.preconf.core.error.Rejection;
import io.preconf.core.finality.ReconcileResult;
import io.preconf.core.finality.Reconciliation;
import io.preconf.core.port.Clock;
import io.preconf.core.port.StatusQuery;
import io.preconf.core.port.ViolationQuery;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.preconf.wire.FunctionRequests;
import io.preconf.wire.FunctionResponses;
import io.preconf.wire.WireFormatException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** What each function does, between JSON and the engine; the JSON itself is wire-json's. */
@ApplicationScoped
public class Functions {
  private static final Logger LOG = Logger.getLogger(Functions.class);

  @Inject PreconfirmationEngine engine;
  @Inject StatusQuery statuses;
  @Inject ViolationQuery violations;
  @Inject Reconciliation reconciliation;
  @Inject Clock clock;

  @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev")
  String version;

  // ------------------------------------------------------------------ preconfirm

  Uni<JsonNode> preconfirm(JsonNode body) {
    PreconfirmRequest request;
    try {
      request = FunctionRequests.preconfirm(body);
    } catch (WireFormatException e) {
      engine.counters().rejected(e.rejection().reason());
      return Uni.createFrom().item(refused(e.rejection()));
    }
    return engine
        .preconfirm(request)
        .onItem()
        .<JsonNode>transform(FunctionResponses::preconfirm)
        .onFailure()
        .recoverWithItem(failure -> refused(unexpected("preconfirm", failure)));
  }

  private static JsonNode refused(Rejection why) {
    return FunctionResponses.preconfirm(new PreconfirmResult(List.of(), List.of(), why));
  }

  // ------------------------------------------------------------------ validate

  Uni<JsonNode> validate(JsonNode body) {
    FunctionRequests.Validation input;
    try {
      input = FunctionRequests.validate(body);
    } catch (WireFormatException e) {
      return invalid(e.rejection());
    }
    return engine
        .validate(input.preconfirmation(), input.rawTransaction())
        .onItem()
        .<JsonNode>transform(report -> FunctionResponses.validate(report.errors()))
        .onFailure()
        .recoverWithItem(
            failure -> FunctionResponses.validate(List.of(unexpected("validate", failure))));
  }

  private Uni<JsonNode> invalid(Rejection why) {
    engine.counters().validated(false);
    engine.counters().rejected(why.reason());
    return Uni.createFrom().item(FunctionResponses.validate(List.of(why)));
  }

  // ------------------------------------------------------------------ status

  Uni<JsonNode> status(JsonNode body) {
    FunctionRequests.StatusLookup lookup;
    try {
      lookup = FunctionRequests.status(body);
    } catch (WireFormatException e) {
      return Uni.createFrom().item(FunctionResponses.notFound(e.rejection(), null));
    }
    ChainId chainId = lookup.chainId();
    Hash32 txHash = lookup.txHash();
    if (engine.rollups().find(chainId).isEmpty()) {
      return Uni.createFrom()
          .item(
              FunctionResponses.notFound(
                  Rejection.unsupportedChain(
                      VALIDATION_FAILED, chainId.value(), engine.rollups().chainIds()),
                  null));
    }
    return statuses
        .find(chainId, txHash)
        .onItem()
        .transformToUni(
            found -> {
              if (found.isPresent()) {
                return withViolations(chainId, txHash, found.get());
              }
              return statuses
                  .voidedSequence(chainId, txHash)
                  .onItem()
                  .transform(
                      voided ->
                          notFoundFor(
                              chainId, txHash, voided.isPresent() ? voided.getAsLong() : null));
            })
        .onFailure()
        .recoverWithItem(
            failure -> FunctionResponses.notFound(unexpected("status", failure), null));
  }

  /** The found promise's status, with the violations recorded against it and their evidence. */
  private Uni<JsonNode> withViolations(
      ChainId chainId, Hash32 txHash, TrackedPreconfirmation found) {
    long now = clock.nowMillis();
    return violations
        .violations(chainId, txHash)
        .onItem()
        .transform(recorded -> FunctionResponses.status(found, now, recorded));
  }

  private static JsonNode notFoundFor(ChainId chainId, Hash32 txHash, Long voidedSequence) {
    String message =
        voidedSequence == null
            ? "no preconfirmation is held for transaction " + txHash + " on chain " + chainId
            : "transaction "
                + txHash
                + " on chain "
                + chainId
                + " holds no preconfirmation: lane sequence "
                + voidedSequence
                + " was reserved for it and voided because its record could not be written; resubmit it";
    return FunctionResponses.notFound(
        Rejection.of(VALIDATION_FAILED, Reason.NOT_FOUND, message), voidedSequence);
  }

  // ------------------------------------------------------------------ reconcile

  Uni<JsonNode> reconcile(JsonNode body) {
    Uni<ReconcileResult> result;
    try {
      result = reconciliation.reconcile(FunctionRequests.block(body));
    } catch (WireFormatException e) {
      result = Uni.createFrom().item(ReconcileResult.refused(null, e.rejection()));
    }
    return result
        .onFailure()
        .recoverWithItem(failure -> ReconcileResult.refused(null, unexpected("reconcile", failure)))
        .onItem()
        .transform(FunctionResponses::reconcile);
  }

  // ------------------------------------------------------------------ info

  Uni<JsonNode> info() {
    return Uni.createFrom()
        .item(
            FunctionResponses.info(
                engine.signerAddress(),
                engine.pqPublicKey(),
                engine.rollups().all(),
                clock.nowMillis(),
                version));
  }

  // ------------------------------------------------------------------ helpers

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
