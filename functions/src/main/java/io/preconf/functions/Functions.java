package io.preconf.functions;

import static io.preconf.core.error.ErrorCode.INVALID_PRECONFIRMATION;
import static io.preconf.core.error.ErrorCode.INVALID_TRANSACTION;
import static io.preconf.core.error.ErrorCode.VALIDATION_FAILED;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.preconf.core.commit.Finality;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.commit.TrackedPreconfirmation;
import io.preconf.core.engine.PreconfirmRequest;
import io.preconf.core.engine.PreconfirmResult;
import io.preconf.core.engine.PreconfirmationEngine;
import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.RejectedException;
import io.preconf.core.error.Rejection;
import io.preconf.core.error.Result;
import io.preconf.core.finality.ReconcileResult;
import io.preconf.core.finality.Reconciliation;
import io.preconf.core.port.Clock;
import io.preconf.core.port.StatusQuery;
import io.preconf.core.port.ViolationQuery;
import io.preconf.core.rollup.RollupConfig;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.preconf.core.types.MalformedValueException;
import io.preconf.core.wire.WireCodec;
import io.preconf.functions.json.Bodies;
import io.preconf.functions.json.ErrorBody;
import io.preconf.functions.json.FinalityJson;
import io.preconf.functions.json.PreconfirmResponse;
import io.preconf.functions.json.RejectedBody;
import io.preconf.functions.json.RequestError;
import io.preconf.functions.json.ValidateResponse;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** What each function does, between JSON and the engine. */
@ApplicationScoped
public class Functions {
  private static final Logger LOG = Logger.getLogger(Functions.class);
  private static final Set<String> PRECONFIRM_FIELDS =
      Set.of("transactions", "atomic", "targetSlot");
  private static final Set<String> STATUS_FIELDS = Set.of("chainId", "txHash");

  @Inject PreconfirmationEngine engine;
  @Inject StatusQuery statuses;
  @Inject ViolationQuery violations;
  @Inject Reconciliation reconciliation;
  @Inject Clock clock;
  @Inject ObjectMapper json;

  @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev")
  String version;

  // ------------------------------------------------------------------ preconfirm

  Uni<PreconfirmResponse> preconfirm(JsonNode body) {
    PreconfirmRequest request;
    try {
      request = preconfirmRequest(body);
    } catch (RequestError e) {
      engine.counters().rejected(e.rejection().reason());
      return Uni.createFrom().item(refused(e.rejection()));
    }
    return engine
        .preconfirm(request)
        .onItem()
        .transform(Functions::response)
        .onFailure()
        .recoverWithItem(failure -> refused(unexpected("preconfirm", failure)));
  }

  private static PreconfirmRequest preconfirmRequest(JsonNode raw) {
    JsonNode body = Bodies.object("preconfirm", raw, VALIDATION_FAILED);
    Bodies.onlyFields("preconfirm", body, PRECONFIRM_FIELDS);
    JsonNode txs = body.get("transactions");
    if (txs == null || txs.isNull()) {
      throw new RequestError(
          VALIDATION_FAILED, Reason.MISSING_FIELD, "field \"transactions\" is missing");
    }
    if (!txs.isArray()) {
      throw new RequestError(
          VALIDATION_FAILED,
          Reason.MALFORMED_REQUEST,
          "field \"transactions\" must be a list of 0x hex strings, got " + abbreviate(txs));
    }
    List<String> hex = new ArrayList<>(txs.size());
    for (JsonNode tx : txs) {
      // A non-string element is kept as its JSON text: the engine then refuses that index alone,
      // naming the value, instead of the whole request.
      hex.add(tx.isTextual() ? tx.asText() : tx.isNull() ? null : tx.toString());
    }
    JsonNode atomic = body.get("atomic");
    if (atomic != null && !atomic.isNull() && !atomic.isBoolean()) {
      throw new RequestError(
          VALIDATION_FAILED,
          Reason.MALFORMED_REQUEST,
          "field \"atomic\" must be true or false, got " + atomic);
    }
    JsonNode slot = body.get("targetSlot");
    Long targetSlot = null;
    if (slot != null && !slot.isNull()) {
      targetSlot = Bodies.safeLong("targetSlot", slot, VALIDATION_FAILED);
    }
    return new PreconfirmRequest(hex, atomic != null && atomic.asBoolean(false), targetSlot);
  }

  private static PreconfirmResponse response(PreconfirmResult r) {
    return new PreconfirmResponse(
        r.preconfirmations().stream().map(WireCodec::toWire).toList(),
        r.rejected().stream().map(RejectedBody::of).toList(),
        r.error() == null ? null : ErrorBody.of(r.error()));
  }

  private static PreconfirmResponse refused(Rejection why) {
    return new PreconfirmResponse(List.of(), List.of(), ErrorBody.of(why));
  }

  // ------------------------------------------------------------------ validate

  Uni<ValidateResponse> validate(JsonNode raw) {
    Preconfirmation preconfirmation;
    Bytes rawTransaction = null;
    try {
      JsonNode body = Bodies.object("validate", raw, INVALID_PRECONFIRMATION);
      Result<Preconfirmation> parsed = WireCodec.fromWire(Bodies.preconfirmation(body));
      if (!parsed.isOk()) {
        return invalid(parsed.rejection());
      }
      preconfirmation = parsed.value();
      JsonNode rawTx = body.get("rawTransaction");
      if (rawTx != null && !rawTx.isNull()) {
        rawTransaction =
            Bytes.fromHex(
                "rawTransaction", Bodies.text("rawTransaction", rawTx, INVALID_TRANSACTION));
      }
    } catch (RequestError e) {
      return invalid(e.rejection());
    } catch (MalformedValueException e) {
      return invalid(Rejection.of(INVALID_TRANSACTION, e.reason(), e.getMessage()));
    }
    return engine
        .validate(preconfirmation, rawTransaction)
        .onItem()
        .transform(
            report ->
                new ValidateResponse(
                    report.valid(), report.errors().stream().map(ErrorBody::of).toList()))
        .onFailure()
        .recoverWithItem(
            failure ->
                new ValidateResponse(
                    false, List.of(ErrorBody.of(unexpected("validate", failure)))));
  }

  private Uni<ValidateResponse> invalid(Rejection why) {
    engine.counters().validated(false);
    engine.counters().rejected(why.reason());
    return Uni.createFrom().item(new ValidateResponse(false, List.of(ErrorBody.of(why))));
  }

  // ------------------------------------------------------------------ status

  Uni<JsonNode> status(JsonNode raw) {
    ChainId chainId;
    Hash32 txHash;
    try {
      JsonNode body = Bodies.object("status", raw, VALIDATION_FAILED);
      Bodies.onlyFields("status", body, STATUS_FIELDS);
      long id = Bodies.safeLong("chainId", body.get("chainId"), VALIDATION_FAILED);
      if (engine.rollups().find(chainIdOf(id)).isEmpty()) {
        return Uni.createFrom()
            .item(
                notFound(
                    Rejection.unsupportedChain(VALIDATION_FAILED, id, engine.rollups().chainIds()),
                    null));
      }
      chainId = ChainId.of(id);
      txHash =
          Hash32.fromHex("txHash", Bodies.text("txHash", body.get("txHash"), VALIDATION_FAILED));
    } catch (RequestError e) {
      return Uni.createFrom().item(notFound(e.rejection(), null));
    } catch (MalformedValueException e) {
      return Uni.createFrom()
          .item(notFound(Rejection.of(VALIDATION_FAILED, e.reason(), e.getMessage()), null));
    }
    return statuses
        .find(chainId, txHash)
        .onItem()
        .transformToUni(
            found -> {
              if (found.isPresent()) {
                return withViolations(chainId, txHash, tracked(found.get()));
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
        .recoverWithItem(failure -> notFound(unexpected("status", failure), null));
  }

  private JsonNode tracked(TrackedPreconfirmation t) {
    ObjectNode node = json.valueToTree(WireCodec.toWire(t.preconfirmation()));
    node.put("status", t.statusAt(clock.nowMillis()).name());
    Finality f = t.finality();
    if (f != null) {
      ObjectNode finality = node.putObject("finality");
      finality.put("blockNumber", f.blockNumber());
      finality.put("blockHash", f.blockHash().toHex());
      finality.put("index", f.index());
    }
    return node;
  }

  /** Adds the recorded violations, with their evidence, to a found promise's status. */
  private Uni<JsonNode> withViolations(ChainId chainId, Hash32 txHash, JsonNode node) {
    return violations
        .violations(chainId, txHash)
        .onItem()
        .transform(
            recorded -> {
              if (!recorded.isEmpty()) {
                ((ObjectNode) node).set("violations", FinalityJson.violations(recorded));
              }
              return node;
            });
  }

  private JsonNode notFoundFor(ChainId chainId, Hash32 txHash, Long voidedSequence) {
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
    return notFound(Rejection.of(VALIDATION_FAILED, Reason.NOT_FOUND, message), voidedSequence);
  }

  private JsonNode notFound(Rejection why, Long voidedSequence) {
    ObjectNode node = json.createObjectNode();
    node.put("found", false);
    if (voidedSequence != null) {
      node.put("voidedSequence", voidedSequence);
    }
    node.set("error", json.valueToTree(ErrorBody.of(why)));
    return node;
  }

  // ------------------------------------------------------------------ reconcile

  Uni<JsonNode> reconcile(JsonNode body) {
    Uni<ReconcileResult> result;
    try {
      result = reconciliation.reconcile(FinalityJson.block(body));
    } catch (RequestError e) {
      result = Uni.createFrom().item(ReconcileResult.refused(null, e.rejection()));
    }
    return result
        .onFailure()
        .recoverWithItem(failure -> ReconcileResult.refused(null, unexpected("reconcile", failure)))
        .onItem()
        .transform(FinalityJson::result);
  }

  // ------------------------------------------------------------------ info

  Uni<JsonNode> info() {
    long now = clock.nowMillis();
    ObjectNode node = json.createObjectNode();
    node.put("signer", engine.signerAddress().toHex());
    node.put("pqPublicKey", engine.pqPublicKey() == null ? null : engine.pqPublicKey().toHex());
    ArrayNode rollups = node.putArray("rollups");
    for (RollupConfig r : engine.rollups().all()) {
      ObjectNode o = rollups.addObject();
      o.put("chainId", r.chainId().value());
      o.put("name", r.name());
      o.put("slotDurationMs", r.slotDurationMs());
      o.put("genesisTimeMs", r.genesisTimeMs());
      o.put("currentSlot", r.slotAt(now));
      o.put("lookaheadSlots", r.lookaheadSlots());
      o.put("gasLimit", r.gasLimit());
      o.put("minPriorityFeeWei", r.minPriorityFeeWei().toString());
      o.put("maxPreconfirmationsPerSlot", r.maxPreconfirmationsPerSlot());
      o.put("maxGasPerSlot", r.maxGasPerSlot());
    }
    node.put("version", version);
    return Uni.createFrom().item(node);
  }

  // ------------------------------------------------------------------ helpers

  private static ChainId chainIdOf(long id) {
    try {
      return ChainId.of(id);
    } catch (MalformedValueException e) {
      throw new RequestError(VALIDATION_FAILED, Reason.OUT_OF_RANGE, e.getMessage());
    }
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

  private static String abbreviate(JsonNode node) {
    String s = node.toString();
    return s.length() > 80 ? s.substring(0, 77) + "..." : s;
  }
}
