package io.preconf.wire;

import static io.preconf.wire.Fields.Shape.OBJECT;
import static io.preconf.wire.Fields.Shape.TEXT;
import static io.preconf.wire.Fields.Shape.TEXT_LIST;
import static io.preconf.wire.Fields.Shape.WHOLE_NUMBER;
import static java.util.Map.entry;

import com.fasterxml.jackson.databind.JsonNode;
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

  /**
   * {@link #SHAPES} with the commitment named by its root, as {@link #toJsonByRoot} writes it; a
   * full form read there keeps its commitment object.
   */
  private static final List<Map.Entry<String, Shape>> SHAPES_BY_ROOT =
      SHAPES.stream()
          .map(e -> e.getKey().equals("commitment") ? entry("commitment", TEXT) : e)
          .toList();

  /**
   * Characters of {@link #toJson}'s text besides the proof and the ML-DSA signature, and then some:
   * the builder is sized once.
   */
  private static final int TEXT_WITHOUT_PQ = 1024;

  private PreconfirmationCodec() {}

  /**
   * The preconfirmation's JSON text, written straight from its values: every one is 0x hex, a
   * number, a boolean or null, none needs escaping, so no tree is built and no string is scanned.
   * This is what the answer, the cache and the feed each write for every preconfirmation, and its
   * commitment (with the 3,309-byte ML-DSA signature) is the same object for all of a round's: its
   * hex is encoded once ({@link io.preconf.core.types.Bytes#toHex}) and copied after that.
   */
  public static String toJson(Preconfirmation p) {
    StringBuilder out =
        new StringBuilder(
            TEXT_WITHOUT_PQ + CommitmentCodec.pqLength(p.commitment()) + 68 * p.proof().size());
    appendLeafFields(out, p);
    CommitmentCodec.appendTo(out, p.commitment());
    return out.append('}').toString();
  }

  /**
   * Appends {@link #toJson}'s text with the commitment's text given as {@link #commitmentToJson}
   * wrote it: the preconfirmations of a round share one commitment, so an answer carrying many of
   * them makes its text once and copies it into each.
   *
   * @param commitmentText {@link #commitmentToJson} of {@code p}'s commitment
   */
  public static void appendTo(StringBuilder out, Preconfirmation p, String commitmentText) {
    appendLeafFields(out, p);
    out.append(commitmentText).append('}');
  }

  /** Characters {@link #appendTo} writes besides the commitment's text, at most. */
  public static int textLengthWithoutCommitment(Preconfirmation p) {
    return TEXT_WITHOUT_PQ + 68 * p.proof().size();
  }

  /**
   * Everything of {@link #toJson}'s text up to the commitment's value, which the caller appends.
   */
  private static void appendLeafFields(StringBuilder out, Preconfirmation p) {
    Leaf leaf = p.leaf();
    out.append("{\"id\":\"").append(p.id().toHex());
    out.append("\",\"chainId\":").append(leaf.chainId().value());
    out.append(",\"txHash\":\"").append(leaf.txHash().toHex());
    out.append("\",\"sender\":\"").append(leaf.sender().toHex());
    out.append("\",\"nonce\":").append(leaf.nonce());
    out.append(",\"sequence\":").append(leaf.sequence());
    out.append(",\"previous\":\"").append(leaf.previous().toHex());
    out.append("\",\"receivedAt\":").append(leaf.receivedAt());
    out.append(",\"targetSlot\":").append(leaf.targetSlot());
    out.append(",\"proof\":").append(HashList.toJson(p.proof()));
    out.append(",\"commitment\":");
  }

  /**
   * The same object as a tree, for answers that add fields beside it ({@code status}): read back
   * from {@link #toJson}, so that the two can never differ.
   */
  public static ObjectNode toTree(Preconfirmation p) {
    return (ObjectNode) Json.parse("preconfirmation", toJson(p), ErrorCode.INVALID_PRECONFIRMATION);
  }

  /**
   * The same object for answers that carry it whole (in a list, as a field's value): {@link
   * #toJson}'s text, copied as it is when the answer is written rather than built as a tree and
   * written again. Not for reading: its fields are not nodes.
   */
  public static JsonNode toNode(Preconfirmation p) {
    return Json.raw(toJson(p));
  }

  /**
   * The same object with its commitment replaced by the commitment's root: what a store keeps per
   * preconfirmation when it keeps each commitment once ({@link #commitmentToJson}), since every
   * preconfirmation of a round carries the same commitment.
   */
  public static String toJsonByRoot(Preconfirmation p) {
    StringBuilder out = new StringBuilder(TEXT_WITHOUT_PQ + 68 * p.proof().size());
    appendLeafFields(out, p);
    return out.append('"').append(p.commitment().root().toHex()).append("\"}").toString();
  }

  /** A commitment alone, as the {@code commitment} object of {@link #toJson} holds it. */
  public static String commitmentToJson(Commitment c) {
    StringBuilder out = new StringBuilder(TEXT_WITHOUT_PQ + CommitmentCodec.pqLength(c));
    CommitmentCodec.appendTo(out, c);
    return out.toString();
  }

  /**
   * Reads what {@link #commitmentToJson} wrote.
   *
   * @throws WireFormatException INVALID_PRECONFIRMATION naming what is missing or malformed
   */
  public static Commitment commitmentFromJson(String json) {
    Fields c = Fields.parse("commitment", json, ErrorCode.INVALID_PRECONFIRMATION);
    c.expect(CommitmentCodec.SHAPES);
    return CommitmentCodec.read(c);
  }

  /**
   * A preconfirmation as {@link #toJsonByRoot} or {@link #toJson} wrote it: everything but a
   * commitment named by its root, which the caller looks up and {@link ByRoot#attach attaches}.
   *
   * @throws WireFormatException INVALID_PRECONFIRMATION naming what is missing or malformed
   */
  public static ByRoot readByRoot(String json) {
    JsonNode body = Json.parse("preconfirmation", json, ErrorCode.INVALID_PRECONFIRMATION);
    Fields o = Fields.of("preconfirmation", body, ErrorCode.INVALID_PRECONFIRMATION);
    if (body.path("commitment").isObject()) {
      Preconfirmation whole = read(o);
      return new ByRoot(
          whole.id(), whole.leaf(), whole.proof(), whole.commitment().root(), whole.commitment());
    }
    o.expect(SHAPES_BY_ROOT);
    checkProofLength(o);
    Leaf leaf = leaf(o);
    List<Hash32> proof = o.hashes("proof");
    Hash32 root = o.hash("commitment");
    return new ByRoot(o.hash("id"), leaf, proof, root, null);
  }

  /**
   * A preconfirmation whose commitment may still have to be looked up.
   *
   * @param root its commitment's root
   * @param commitment the commitment, when the form read held it; null when it named the root only
   */
  public record ByRoot(
      Hash32 id, Leaf leaf, List<Hash32> proof, Hash32 root, Commitment commitment) {

    /**
     * The preconfirmation under {@code c}, the commitment whose root this one names.
     *
     * @throws IllegalArgumentException when {@code c} has another root: a bug of the caller
     */
    public Preconfirmation attach(Commitment c) {
      if (!c.root().equals(root)) {
        throw new IllegalArgumentException(
            "preconfirmation " + id + " is under root " + root + ", not " + c.root());
      }
      return new Preconfirmation(id, leaf, proof, c);
    }
  }

  /**
   * Reads a preconfirmation this codec wrote (a stored copy, a feed entry).
   *
   * @throws WireFormatException INVALID_PRECONFIRMATION naming what is missing or malformed
   */
  public static Preconfirmation fromJson(String json) {
    return read(Fields.parse("preconfirmation", json, ErrorCode.INVALID_PRECONFIRMATION));
  }

  /** Reads the preconfirmation held by {@code o}'s fields, in the order the contract lists them. */
  public static Preconfirmation read(Fields o) {
    expectShapes(o);
    Fields commitment = o.object("commitment");
    checkProofLength(o);
    Leaf leaf = leaf(o);
    List<Hash32> proof = o.hashes("proof");
    Commitment c = CommitmentCodec.read(commitment);
    return new Preconfirmation(o.hash("id"), leaf, proof, c);
  }

  private static void checkProofLength(Fields o) {
    int proofLength = o.list("proof").size();
    if (proofLength > MAX_PROOF_LENGTH) {
      throw o.fail(
          Reason.WRONG_LENGTH,
          "proof has " + proofLength + " hashes, more than " + MAX_PROOF_LENGTH);
    }
  }

  private static Leaf leaf(Fields o) {
    return new Leaf(
        o.chainId("chainId"),
        o.hash("txHash"),
        o.address("sender"),
        o.number("nonce"),
        o.number("sequence"),
        o.hash("previous"),
        o.number("receivedAt"),
        o.number("targetSlot"));
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
