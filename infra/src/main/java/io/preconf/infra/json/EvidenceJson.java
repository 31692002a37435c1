package io.preconf.infra.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.preconf.core.commit.Finality;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.finality.Block;
import io.preconf.core.finality.Evidence;
import io.preconf.core.finality.Inclusion;
import io.preconf.core.finality.SlotClock;
import io.preconf.core.finality.ViolationKind;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.preconf.core.types.MalformedValueException;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON form of a violation's evidence, as stored and served (docs/slashing.md describes it):
 *
 * <pre>
 * {"version":1, "kind":"ORDER_REVERSED", "reason":"..",
 *  "rollup":{"chainId":..,"genesisTimeMs":..,"slotDurationMs":..},
 *  "preconfirmations":[&lt;spec section 4 object&gt;, ..],
 *  "blocks":[{"chainId":..,"number":..,"hash":"0x..","parentHash":"0x..","slot":..,"transactions":["0x..",..]}],
 *  "inclusions":[{"txHash":"0x..","blockNumber":..,"blockHash":"0x..","index":..}],
 *  "detectedAt":..}
 * </pre>
 *
 * Preconfirmations are written by {@link PreconfirmationJson}, so they are byte for byte what the
 * client was given.
 */
public final class EvidenceJson {
  public static final int VERSION = 1;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private EvidenceJson() {}

  public static String toJson(Evidence e) {
    return toTree(e).toString();
  }

  public static ObjectNode toTree(Evidence e) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("version", VERSION);
    o.put("kind", e.kind().name());
    o.put("reason", e.reason());
    ObjectNode rollup = o.putObject("rollup");
    rollup.put("chainId", e.rollup().chainId().value());
    rollup.put("genesisTimeMs", e.rollup().genesisTimeMs());
    rollup.put("slotDurationMs", e.rollup().slotDurationMs());
    ArrayNode ps = o.putArray("preconfirmations");
    e.preconfirmations().forEach(p -> ps.add(PreconfirmationJson.toTree(p)));
    ArrayNode bs = o.putArray("blocks");
    e.blocks().forEach(b -> bs.add(blockTree(b)));
    ArrayNode is = o.putArray("inclusions");
    for (Inclusion i : e.inclusions()) {
      ObjectNode n = is.addObject();
      n.put("txHash", i.txHash().toHex());
      n.put("blockNumber", i.where().blockNumber());
      n.put("blockHash", i.where().blockHash().toHex());
      n.put("index", i.where().index());
    }
    o.put("detectedAt", e.detectedAt());
    return o;
  }

  public static ObjectNode blockTree(Block b) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("chainId", b.chainId().value());
    n.put("number", b.number());
    n.put("hash", b.hash().toHex());
    n.put("parentHash", b.parentHash().toHex());
    n.put("slot", b.slot());
    ArrayNode txs = n.putArray("transactions");
    b.transactions().forEach(t -> txs.add(t.toHex()));
    return n;
  }

  /**
   * Reads evidence back, for a checker.
   *
   * @throws MalformedValueException naming what is missing or malformed
   */
  public static Evidence fromJson(String json) {
    JsonNode o;
    try {
      o = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new MalformedValueException(
          io.preconf.core.error.Reason.MALFORMED_REQUEST,
          "evidence is not valid JSON: " + e.getOriginalMessage());
    }
    if (o == null || !o.isObject()) {
      throw new MalformedValueException(
          io.preconf.core.error.Reason.MALFORMED_REQUEST, "evidence must be a JSON object");
    }
    if (o.path("version").asInt() != VERSION) {
      throw new MalformedValueException(
          io.preconf.core.error.Reason.OUT_OF_RANGE,
          "evidence version " + o.get("version") + " is not " + VERSION);
    }
    ViolationKind kind;
    try {
      kind = ViolationKind.valueOf(o.path("kind").asText());
    } catch (IllegalArgumentException e) {
      throw new MalformedValueException(
          io.preconf.core.error.Reason.MALFORMED_REQUEST,
          "evidence kind " + o.get("kind") + " is unknown");
    }
    JsonNode r = o.path("rollup");
    SlotClock rollup =
        new SlotClock(
            ChainId.of(number(r, "chainId")),
            number(r, "genesisTimeMs"),
            number(r, "slotDurationMs"));
    List<Preconfirmation> ps = new ArrayList<>();
    for (JsonNode p : array(o, "preconfirmations")) {
      ps.add(PreconfirmationJson.fromTree(p));
    }
    List<Block> blocks = new ArrayList<>();
    for (JsonNode b : array(o, "blocks")) {
      blocks.add(blockFromTree(b));
    }
    List<Inclusion> inclusions = new ArrayList<>();
    for (JsonNode i : array(o, "inclusions")) {
      inclusions.add(
          new Inclusion(
              hash(i, "txHash"),
              new Finality(
                  number(i, "blockNumber"), hash(i, "blockHash"), (int) number(i, "index"))));
    }
    return new Evidence(
        kind, o.path("reason").asText(), rollup, ps, blocks, inclusions, number(o, "detectedAt"));
  }

  public static Block blockFromTree(JsonNode b) {
    List<Hash32> txs = new ArrayList<>();
    for (JsonNode t : array(b, "transactions")) {
      txs.add(Hash32.fromHex("transactions[]", t.asText()));
    }
    return new Block(
        ChainId.of(number(b, "chainId")),
        number(b, "number"),
        hash(b, "hash"),
        hash(b, "parentHash"),
        number(b, "slot"),
        txs);
  }

  private static JsonNode array(JsonNode o, String field) {
    JsonNode a = o.get(field);
    if (a == null || !a.isArray()) {
      throw new MalformedValueException(
          io.preconf.core.error.Reason.MALFORMED_REQUEST, field + " must be a JSON array");
    }
    return a;
  }

  private static Hash32 hash(JsonNode o, String field) {
    JsonNode v = o.get(field);
    if (v == null || !v.isTextual()) {
      throw new MalformedValueException(
          io.preconf.core.error.Reason.MALFORMED_REQUEST, field + " must be a 0x hash string");
    }
    return Hash32.fromHex(field, v.asText());
  }

  private static long number(JsonNode o, String field) {
    JsonNode v = o.get(field);
    if (v == null || !v.isIntegralNumber() || v.asLong() < 0) {
      throw new MalformedValueException(
          io.preconf.core.error.Reason.MALFORMED_REQUEST,
          field + " must be a non-negative whole number, got " + v);
    }
    return v.asLong();
  }
}
