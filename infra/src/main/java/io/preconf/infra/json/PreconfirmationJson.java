package io.preconf.infra.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.preconf.core.commit.Commitment;
import io.preconf.core.commit.Leaf;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.preconf.core.types.MalformedValueException;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON form of one preconfirmation, exactly as the wire contract's section 4 fixes it: field
 * names and order, lowercase 0x hex for byte strings, JSON numbers for chain id, nonce, sequence,
 * slot and millisecond times, and {@code pqSignature} present as null when post-quantum signing is
 * off. The cache, the feed log and the database all keep this form, so that what they hand back is
 * byte for byte what a client was given.
 *
 * <p>Reading accepts extra fields (responses may add {@code status}, {@code finality}) and rejects
 * a missing or mistyped field with a message naming it.
 */
public final class PreconfirmationJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private PreconfirmationJson() {}

  public static String toJson(Preconfirmation p) {
    return toTree(p).toString();
  }

  /** The same object as a tree, for callers that add fields ({@code status}) before writing. */
  public static ObjectNode toTree(Preconfirmation p) {
    Leaf leaf = p.leaf();
    ObjectNode o = MAPPER.createObjectNode();
    o.put("id", p.id().toHex());
    o.put("chainId", leaf.chainId().value());
    o.put("txHash", leaf.txHash().toHex());
    o.put("sender", leaf.sender().toHex());
    o.put("nonce", leaf.nonce());
    o.put("sequence", leaf.sequence());
    o.put("previous", leaf.previous().toHex());
    o.put("receivedAt", leaf.receivedAt());
    o.put("targetSlot", leaf.targetSlot());
    ArrayNode proof = o.putArray("proof");
    p.proof().forEach(h -> proof.add(h.toHex()));
    Commitment c = p.commitment();
    ObjectNode co = o.putObject("commitment");
    co.put("root", c.root().toHex());
    co.put("issuedAt", c.issuedAt());
    co.put("expiresAt", c.expiresAt());
    co.put("atomic", c.atomic());
    co.put("signer", c.signer().toHex());
    co.put("signature", c.signature().toHex());
    if (c.hasPqSignature()) {
      co.put("pqSignature", c.pqSignature().toHex());
    } else {
      co.putNull("pqSignature");
    }
    return o;
  }

  /**
   * Parses one preconfirmation object.
   *
   * @throws MalformedValueException naming the field that is missing, mistyped or malformed
   */
  public static Preconfirmation fromJson(String json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new MalformedValueException(
          io.preconf.core.error.Reason.MALFORMED_REQUEST,
          "preconfirmation is not valid JSON: " + e.getOriginalMessage());
    }
    return fromTree(root);
  }

  public static Preconfirmation fromTree(JsonNode o) {
    requireObject("preconfirmation", o);
    Leaf leaf =
        new Leaf(
            ChainId.of(number(o, "chainId")),
            hash(o, "txHash"),
            Address.fromHex("sender", text(o, "sender")),
            number(o, "nonce"),
            number(o, "sequence"),
            hash(o, "previous"),
            number(o, "receivedAt"),
            number(o, "targetSlot"));
    JsonNode proofNode = o.get("proof");
    if (proofNode == null || !proofNode.isArray()) {
      throw new MalformedValueException(
          io.preconf.core.error.Reason.MALFORMED_REQUEST, "proof must be an array of 0x hashes");
    }
    List<Hash32> proof = new ArrayList<>(proofNode.size());
    for (int i = 0; i < proofNode.size(); i++) {
      JsonNode h = proofNode.get(i);
      if (!h.isTextual()) {
        throw new MalformedValueException(
            io.preconf.core.error.Reason.MALFORMED_REQUEST,
            "proof[" + i + "] must be a 0x hash string");
      }
      proof.add(Hash32.fromHex("proof[" + i + "]", h.asText()));
    }
    JsonNode c = o.get("commitment");
    requireObject("commitment", c);
    JsonNode pq = c.get("pqSignature");
    Commitment commitment =
        new Commitment(
            hash(c, "root", "commitment.root"),
            number(c, "issuedAt", "commitment.issuedAt"),
            number(c, "expiresAt", "commitment.expiresAt"),
            bool(c, "atomic", "commitment.atomic"),
            Address.fromHex("commitment.signer", text(c, "signer", "commitment.signer")),
            Bytes.fromHex("commitment.signature", text(c, "signature", "commitment.signature")),
            pq == null || pq.isNull()
                ? null
                : Bytes.fromHex(
                    "commitment.pqSignature", text(c, "pqSignature", "commitment.pqSignature")));
    return new Preconfirmation(hash(o, "id"), leaf, proof, commitment);
  }

  private static void requireObject(String name, JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new MalformedValueException(
          io.preconf.core.error.Reason.MALFORMED_REQUEST, name + " must be a JSON object");
    }
  }

  private static Hash32 hash(JsonNode o, String field) {
    return hash(o, field, field);
  }

  private static Hash32 hash(JsonNode o, String field, String name) {
    return Hash32.fromHex(name, text(o, field, name));
  }

  private static String text(JsonNode o, String field) {
    return text(o, field, field);
  }

  private static String text(JsonNode o, String field, String name) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) {
      throw new MalformedValueException(
          io.preconf.core.error.Reason.MISSING_FIELD, name + " is missing");
    }
    if (!v.isTextual()) {
      throw new MalformedValueException(
          io.preconf.core.error.Reason.MALFORMED_REQUEST, name + " must be a string, got " + v);
    }
    return v.asText();
  }

  private static long number(JsonNode o, String field) {
    return number(o, field, field);
  }

  private static long number(JsonNode o, String field, String name) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) {
      throw new MalformedValueException(
          io.preconf.core.error.Reason.MISSING_FIELD, name + " is missing");
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
      throw new MalformedValueException(
          io.preconf.core.error.Reason.MALFORMED_REQUEST,
          name + " must be a non-negative whole number, got " + v);
    }
    return v.asLong();
  }

  private static boolean bool(JsonNode o, String field, String name) {
    JsonNode v = o.get(field);
    if (v == null || !v.isBoolean()) {
      throw new MalformedValueException(
          io.preconf.core.error.Reason.MALFORMED_REQUEST,
          name + " must be true or false, got " + v);
    }
    return v.asBoolean();
  }
}
