package io.preconf.wire;

import static io.preconf.wire.Fields.Shape.OBJECT;
import static io.preconf.wire.Fields.Shape.TEXT;
import static io.preconf.wire.Fields.Shape.TEXT_LIST;
import static io.preconf.wire.Fields.Shape.WHOLE_NUMBER;
import static java.util.Map.entry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.preconf.core.commit.Commitment;
import io.preconf.core.commit.Leaf;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.types.Hash32;
import io.preconf.wire.Fields.Shape;
import java.util.List;
import java.util.Map;

/**
 * One preconfirmation exactly as the wire contract's section 4 fixes it: field names and order,
 * lowercase 0x hex for byte strings, JSON numbers for chain id, nonce, sequence, slot and
 * millisecond times. The functions, the feed, the cache and the feed log keep this form, and the
 * database keeps the values it is encoded from (each commitment once), so what any of them hands
 * back is byte for byte what the client was given.
 *
 * <p>Reading accepts fields a response adds ({@code status}, {@code finality}) and refuses a
 * missing, mistyped or malformed field, naming it. It says nothing of whether the preconfirmation
 * is genuine: that is validation's work.
 */
public final class PreconfirmationCodec {
  /** Deeper than any tree of one request's leaves; bounds the hashing one read can ask for. */
  public static final int MAX_PROOF_LENGTH = 64;

  private static final List<Map.Entry<String, Shape>> SHAPES =
      List.of(
          entry("id", TEXT),
          entry("chainId", WHOLE_NUMBER),
          entry("txHash", TEXT),
          entry("sender", TEXT),
          entry("nonce", WHOLE_NUMBER),
          entry("sequence", WHOLE_NUMBER),
          entry("previous", TEXT),
          entry("receivedAt", WHOLE_NUMBER),
          entry("targetSlot", WHOLE_NUMBER),
          entry("proof", TEXT_LIST),
          entry("commitment", OBJECT));

  private PreconfirmationCodec() {}

  public static String toJson(Preconfirmation p) {
    return toTree(p).toString();
  }

  /** The same object as a tree, for answers that add fields beside it. */
  public static ObjectNode toTree(Preconfirmation p) {
    Leaf leaf = p.leaf();
    ObjectNode o = Json.object();
    o.put("id", p.id().toHex());
    o.put("chainId", leaf.chainId().value());
    o.put("txHash", leaf.txHash().toHex());
    o.put("sender", leaf.sender().toHex());
    o.put("nonce", leaf.nonce());
    o.put("sequence", leaf.sequence());
    o.put("previous", leaf.previous().toHex());
    o.put("receivedAt", leaf.receivedAt());
    o.put("targetSlot", leaf.targetSlot());
    o.set("proof", HashList.toTree(p.proof()));
    o.set("commitment", CommitmentCodec.toTree(p.commitment()));
    return o;
  }

  /**
   * Reads a preconfirmation this codec wrote (a stored copy, a feed entry).
   *
   * @throws WireFormatException INVALID_PRECONFIRMATION naming what is missing or malformed
   */
  public static Preconfirmation fromJson(String json) {
    return read(
        Fields.of(
            "preconfirmation",
            Json.parse("preconfirmation", json, ErrorCode.INVALID_PRECONFIRMATION),
            ErrorCode.INVALID_PRECONFIRMATION));
  }

  /** Reads the preconfirmation held by {@code o}'s fields, in the order the contract lists them. */
  public static Preconfirmation read(Fields o) {
    expectShapes(o);
    Fields commitment = o.object("commitment");
    int proofLength = o.list("proof").size();
    if (proofLength > MAX_PROOF_LENGTH) {
      throw o.fail(
          Reason.WRONG_LENGTH,
          "proof has " + proofLength + " hashes, more than " + MAX_PROOF_LENGTH);
    }
    Leaf leaf =
        new Leaf(
            o.chainId("chainId"),
            o.hash("txHash"),
            o.address("sender"),
            o.number("nonce"),
            o.number("sequence"),
            o.hash("previous"),
            o.number("receivedAt"),
            o.number("targetSlot"));
    List<Hash32> proof = o.hashes("proof");
    Commitment c = CommitmentCodec.read(commitment);
    return new Preconfirmation(o.hash("id"), leaf, proof, c);
  }

  /**
   * Which problem a body with several is refused for is part of the contract (the TypeScript
   * client's verifier gives the same reason): first any field of the wrong JSON type, in the order
   * of the fields; then a missing commitment or proof, a proof too long; then the leaf's fields,
   * the proof's hashes, the commitment's fields ({@code atomic} first) and the id.
   */
  private static void expectShapes(Fields o) {
    o.expect(SHAPES);
    if (o.has("commitment")) {
      o.object("commitment").expect(CommitmentCodec.SHAPES);
    }
  }
}
