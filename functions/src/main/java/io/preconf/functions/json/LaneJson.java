package io.preconf.functions.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.preconf.core.error.Rejection;
import io.preconf.core.pull.LanePage;
import io.preconf.core.pull.PulledEntry;

/**
 * The JSON of {@code lane}: {@code {"chainId", "entries": [..], "next"}}, each entry {@code
 * {"sequence", "txHash", "id", "status", "signedTransaction"?}} or {@code {"sequence", "txHash",
 * "void": true}}; or {@code {"entries": [], "error": {..}}}.
 */
public final class LaneJson {
  private LaneJson() {}

  public static JsonNode page(ObjectMapper json, LanePage page) {
    ObjectNode node = json.createObjectNode();
    node.put("chainId", page.chainId().value());
    ArrayNode entries = node.putArray("entries");
    for (PulledEntry e : page.entries()) {
      ObjectNode entry = entries.addObject();
      entry.put("sequence", e.sequence());
      entry.put("txHash", e.txHash().toHex());
      if (e.isVoid()) {
        entry.put("void", true);
        continue;
      }
      entry.put("id", e.id().toHex());
      entry.put("status", e.status().name());
      if (e.signedTransaction() != null) {
        entry.put("signedTransaction", e.signedTransaction().toHex());
      }
    }
    node.put("next", page.next());
    return node;
  }

  public static JsonNode refused(ObjectMapper json, Rejection why) {
    ObjectNode node = json.createObjectNode();
    node.putArray("entries");
    node.set("error", json.valueToTree(ErrorBody.of(why)));
    return node;
  }
}
