package io.preconf.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.preconf.core.error.ErrorCode;
import io.preconf.core.types.Hash32;
import java.util.List;

/**
 * A list of 32-byte hashes as a JSON array of 0x strings: a Merkle proof, a block's transactions,
 * the blocks a reorg orphaned.
 */
public final class HashList {
  private HashList() {}

  public static ArrayNode toTree(List<Hash32> hashes) {
    return (ArrayNode) Json.parse("hashes", toJson(hashes), ErrorCode.VALIDATION_FAILED);
  }

  /**
   * Written as text straight away: every element is 0x hex, with nothing to escape. The store
   * writes one list per preconfirmation (its proof).
   */
  public static String toJson(List<Hash32> hashes) {
    StringBuilder out = new StringBuilder(2 + 69 * hashes.size());
    out.append('[');
    for (int i = 0; i < hashes.size(); i++) {
      out.append(i == 0 ? "\"" : ",\"").append(hashes.get(i).toHex()).append('"');
    }
    return out.append(']').toString();
  }

  /**
   * Reads a list written by {@link #toJson}.
   *
   * @param what names the list in messages
   * @throws WireFormatException naming the element that is not a 0x hash
   */
  public static List<Hash32> fromJson(String what, String json) {
    JsonNode list = Json.parse(what, json, ErrorCode.VALIDATION_FAILED);
    return Fields.of(what, Json.object().set(what, list), ErrorCode.VALIDATION_FAILED).hashes(what);
  }
}
