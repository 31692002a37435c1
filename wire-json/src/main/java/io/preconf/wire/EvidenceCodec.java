package io.preconf.wire;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.finality.Block;
import io.preconf.core.finality.Evidence;
import io.preconf.core.finality.Inclusion;
import io.preconf.core.finality.SlotClock;
import io.preconf.core.finality.ViolationKind;
import io.preconf.core.types.Hash32;
import java.util.List;

/**
 * A violation's evidence, as stored and served (docs/slashing.md describes it):
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
 * Preconfirmations are written by {@link PreconfirmationCodec}, so they are byte for byte what the
 * client was given.
 */
public final class EvidenceCodec {
  public static final int VERSION = 1;

  private EvidenceCodec() {}

  public static String toJson(Evidence e) {
    return toTree(e).toString();
  }

  public static ObjectNode toTree(Evidence e) {
    ObjectNode o = Json.object();
    o.put("version", VERSION);
    o.put("kind", e.kind().name());
    o.put("reason", e.reason());
    ObjectNode rollup = o.putObject("rollup");
    rollup.put("chainId", e.rollup().chainId().value());
    rollup.put("genesisTimeMs", e.rollup().genesisTimeMs());
    rollup.put("slotDurationMs", e.rollup().slotDurationMs());
    ArrayNode ps = o.putArray("preconfirmations");
    e.preconfirmations().forEach(p -> ps.add(PreconfirmationCodec.toNode(p)));
    ArrayNode bs = o.putArray("blocks");
    e.blocks().forEach(b -> bs.add(blockTree(b)));
    ArrayNode is = o.putArray("inclusions");
    for (Inclusion i : e.inclusions()) {
      ObjectNode n = is.addObject();
      n.put("txHash", i.txHash().toHex());
      FinalityCodec.putInto(n, i.where());
    }
    o.put("detectedAt", e.detectedAt());
    return o;
  }

  private static ObjectNode blockTree(Block b) {
    ObjectNode n = Json.object();
    n.put("chainId", b.chainId().value());
    n.put("number", b.number());
    n.put("hash", b.hash().toHex());
    n.put("parentHash", b.parentHash().toHex());
    n.put("slot", b.slot());
    n.set("transactions", HashList.toTree(b.transactions()));
    return n;
  }

  /**
   * Reads evidence back, for a checker.
   *
   * @throws WireFormatException VALIDATION_FAILED naming what is missing or malformed
   */
  public static Evidence fromJson(String json) {
    Fields o = Fields.parse("evidence", json, ErrorCode.VALIDATION_FAILED);
    long version = o.number("version");
    if (version != VERSION) {
      throw o.fail(
          Reason.OUT_OF_RANGE,
          "evidence version " + version + " is not " + VERSION + ", the one read here");
    }
    Fields r = o.object("rollup");
    SlotClock rollup =
        new SlotClock(r.chainId("chainId"), r.number("genesisTimeMs"), r.number("slotDurationMs"));
    return new Evidence(
        o.oneOf("kind", ViolationKind.class),
        o.text("reason"),
        rollup,
        o.objects("preconfirmations").stream().map(PreconfirmationCodec::read).toList(),
        o.objects("blocks").stream().map(EvidenceCodec::block).toList(),
        o.objects("inclusions").stream().map(EvidenceCodec::inclusion).toList(),
        o.number("detectedAt"));
  }

  private static Block block(Fields b) {
    List<Hash32> txs = b.hashes("transactions");
    return new Block(
        b.chainId("chainId"),
        b.number("number"),
        b.hash("hash"),
        b.hash("parentHash"),
        b.number("slot"),
        txs);
  }

  private static Inclusion inclusion(Fields i) {
    return new Inclusion(i.hash("txHash"), FinalityCodec.read(i));
  }
}
