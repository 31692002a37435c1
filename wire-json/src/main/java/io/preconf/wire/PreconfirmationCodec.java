package io.preconf.wire;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.preconf.core.commit.Leaf;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.types.Hash32;
import java.util.List;

/**
 * One preconfirmation exactly as the wire contract's section 4 fixes it: field names and order,
 * lowercase 0x hex for byte strings, JSON numbers for chain id, nonce, sequence, slot and
 * millisecond times. The functions, the feed, the cache, the feed log and the database all keep
 * this form, so what any of them hands back is byte for byte what the client was given.
 *
 * <p>Reading accepts fields a response adds ({@code status}, {@code finality}) and refuses a
 * missing, mistyped or malformed field, naming it. It says nothing of whether the preconfirmation
 * is genuine: that is validation's work.
 */
public final class PreconfirmationCodec {
  /** Deeper than any tree of one request's leaves; bounds the hashing one read can ask for. */
  public static final int MAX_PROOF_LENGTH = 64;

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
    Hash32 id = o.hash("id");
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
    if (proof.size() > MAX_PROOF_LENGTH) {
      throw o.fail(
          Reason.WRONG_LENGTH,
          "proof has " + proof.size() + " hashes, more than " + MAX_PROOF_LENGTH);
    }
    return new Preconfirmation(id, leaf, proof, CommitmentCodec.read(o.object("commitment")));
  }
}
