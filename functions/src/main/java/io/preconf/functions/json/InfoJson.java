package io.preconf.functions.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.preconf.core.engine.PreconferInfo;
import io.preconf.core.rollup.RollupConfig;

/** The JSON of {@code info}: the signer, its post-quantum key, the served rollups, the version. */
public final class InfoJson {
  private InfoJson() {}

  /** The rollups' current slots as of {@code now}. */
  public static JsonNode of(ObjectMapper json, PreconferInfo info, long now, String version) {
    ObjectNode node = json.createObjectNode();
    node.put("signer", info.signer().toHex());
    node.put("pqPublicKey", info.pqPublicKey() == null ? null : info.pqPublicKey().toHex());
    ArrayNode rollups = node.putArray("rollups");
    for (RollupConfig r : info.rollups().all()) {
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
    return node;
  }
}
