package io.preconf.feed.hub;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.feed.request.Refusal;
import io.preconf.infra.json.PreconfirmationJson;

/**
 * The feed's text frames (spec section 7). Each is built and encoded once per event and node, then
 * sent as the same bytes to every subscriber it concerns.
 */
public final class Messages {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Messages() {}

  /** {@code {"type":"preconfirmation","data":<spec section 4 object>}}. */
  public static Frame preconfirmation(Preconfirmation p) {
    return Frame.text(
        "{\"type\":\"preconfirmation\",\"data\":" + PreconfirmationJson.toJson(p) + "}");
  }

  /** {@code {"type":"status","data":..}}, the data as the status log holds it. */
  public static Frame status(String dataJson) {
    return Frame.text("{\"type\":\"status\",\"data\":" + dataJson + "}");
  }

  public static Frame heartbeat(long timeMs) {
    return Frame.text("{\"type\":\"heartbeat\",\"time\":" + timeMs + "}");
  }

  /** {@code {"type":"error","code":..,"reason":..,"message":..}}. */
  public static Frame error(Refusal refusal) {
    ObjectNode o = JSON.createObjectNode();
    o.put("type", "error");
    o.put("code", refusal.code().name());
    o.put("reason", refusal.reason().name());
    o.put("message", refusal.message());
    return Frame.text(o.toString());
  }
}
