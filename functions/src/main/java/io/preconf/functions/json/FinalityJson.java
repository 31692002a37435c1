package io.preconf.functions.json;

import static io.preconf.core.error.ErrorCode.VALIDATION_FAILED;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.preconf.core.commit.StatusChange;
import io.preconf.core.error.Reason;
import io.preconf.core.finality.RecordedViolation;
import io.preconf.core.finality.Reorg;
import io.preconf.core.finality.Violation;
import io.preconf.core.reconcile.ReconcileResult;
import io.preconf.core.wire.WireBlock;
import io.preconf.infra.json.EvidenceJson;
import io.preconf.infra.redis.RedisStatusLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The JSON of {@code reconcile}: the block it takes, and what it answers. */
public final class FinalityJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Set<String> BLOCK_FIELDS =
      Set.of("chainId", "number", "hash", "parentHash", "slot", "timestamp", "transactions");

  private FinalityJson() {}

  /**
   * Reads a block strictly: numbers must be whole JSON numbers, hashes strings, transactions a list
   * of strings, and no field outside the block's. Hex and ranges are checked by {@code
   * Block.parse}.
   */
  public static WireBlock block(JsonNode raw) {
    JsonNode body = Bodies.object("reconcile", raw, VALIDATION_FAILED);
    Bodies.onlyFields("reconcile", body, BLOCK_FIELDS);
    JsonNode txs = body.get("transactions");
    List<String> hashes = null;
    if (txs != null && !txs.isNull()) {
      if (!txs.isArray()) {
        throw new RequestError(
            VALIDATION_FAILED,
            Reason.MALFORMED_REQUEST,
            "field \"transactions\" must be a list of 0x transaction hashes, got " + txs);
      }
      hashes = new ArrayList<>(txs.size());
      for (int i = 0; i < txs.size(); i++) {
        hashes.add(Bodies.text("transactions[" + i + "]", txs.get(i), VALIDATION_FAILED));
      }
    }
    return new WireBlock(
        number(body, "chainId"),
        number(body, "number"),
        text(body, "hash"),
        text(body, "parentHash"),
        number(body, "slot"),
        number(body, "timestamp"),
        hashes);
  }

  private static Long number(JsonNode body, String field) {
    JsonNode v = body.get(field);
    return v == null || v.isNull() ? null : Bodies.safeLong(field, v, VALIDATION_FAILED);
  }

  private static String text(JsonNode body, String field) {
    JsonNode v = body.get(field);
    return v == null || v.isNull() ? null : Bodies.text(field, v, VALIDATION_FAILED);
  }

  /**
   * {"outcome", "block"?, "reorg"?, "changes": [..], "violations": [..], "error"?}: changes as the
   * feed's status messages carry them, violations with their evidence.
   */
  public static ObjectNode result(ReconcileResult r) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("outcome", r.outcome().name());
    if (r.block() != null) {
      ObjectNode b = o.putObject("block");
      b.put("chainId", r.block().chainId().value());
      b.put("number", r.block().number());
      b.put("hash", r.block().hash().toHex());
      b.put("slot", r.block().slot());
    }
    if (r.reorg() != null) {
      Reorg g = r.reorg();
      ObjectNode n = o.putObject("reorg");
      n.put("height", g.height());
      n.put("replaced", g.replaced() == null ? null : g.replaced().toHex());
      n.put("replacement", g.replacement().toHex());
      ArrayNode orphaned = n.putArray("orphaned");
      g.orphaned().forEach(h -> orphaned.add(h.toHex()));
    }
    ArrayNode changes = o.putArray("changes");
    for (StatusChange c : r.changes()) {
      changes.add(tree(RedisStatusLog.toJson(c)));
    }
    ArrayNode violations = o.putArray("violations");
    for (Violation v : r.violations()) {
      ObjectNode n = violations.addObject();
      n.put("preconfirmationId", v.preconfirmation().id().toHex());
      n.put("chainId", v.preconfirmation().chainId().value());
      n.put("txHash", v.preconfirmation().txHash().toHex());
      n.put("sequence", v.preconfirmation().sequence());
      n.put("kind", v.kind().name());
      n.put("reason", v.reason());
      n.put("blockHash", v.blockHash().toHex());
      n.set("evidence", EvidenceJson.toTree(v.evidence()));
    }
    if (r.error() != null) {
      o.set("error", MAPPER.valueToTree(ErrorBody.of(r.error())));
    }
    return o;
  }

  /** The recorded violations of one promise, for {@code status}; evidence as it was stored. */
  public static ArrayNode violations(List<RecordedViolation> recorded) {
    ArrayNode out = MAPPER.createArrayNode();
    for (RecordedViolation v : recorded) {
      ObjectNode n = out.addObject();
      n.put("kind", v.kind().name());
      n.put("reason", v.reason());
      n.put("blockHash", v.blockHash().toHex());
      n.put("detectedAt", v.detectedAt());
      n.put("retracted", v.retracted());
      n.set("evidence", tree(v.evidenceJson()));
    }
    return out;
  }

  private static JsonNode tree(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JSON is unreadable: " + e.getOriginalMessage(), e);
    }
  }
}
