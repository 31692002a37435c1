package io.preconf.wire;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;

/** The feed's text frames (spec section 7), each written once per event and sent as is. */
public final class FeedMessages {
  private FeedMessages() {}

  /** {@code {"type":"preconfirmation","data":<spec section 4 object>}}. */
  public static String preconfirmation(Preconfirmation p) {
    return "{\"type\":\"preconfirmation\",\"data\":" + PreconfirmationCodec.toJson(p) + "}";
  }

  /**
   * {@code {"type":"status","data":..}}.
   *
   * @param statusChangeJson the change as {@link StatusChangeCodec#toJson} wrote it to the log
   */
  public static String status(String statusChangeJson) {
    return "{\"type\":\"status\",\"data\":" + statusChangeJson + "}";
  }

  public static String heartbeat(long timeMs) {
    return "{\"type\":\"heartbeat\",\"time\":" + timeMs + "}";
  }

  /**
   * {@code {"type":"error","code":..,"reason":..,"message":..}}, sent before a refused connection
   * is closed.
   */
  public static String error(ErrorCode code, Reason reason, String message) {
    ObjectNode o = Json.object();
    o.put("type", "error");
    ErrorCodec.putInto(o, code, reason, message);
    return o.toString();
  }
}
