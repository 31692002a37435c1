package io.preconf.wire;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.preconf.core.commit.StatusChange;
import io.preconf.core.error.ErrorCode;
import io.preconf.core.types.Hash32;

/**
 * A promise's move to a new status, as the feed's {@code status} message carries it in {@code data}
 * (spec section 7) and {@code reconcile} lists it: {@code
 * {"chainId","txHash","sequence","status","finality"?,"reason"?,"time"}}.
 */
public final class StatusChangeCodec {
  private StatusChangeCodec() {}

  public static String toJson(StatusChange c) {
    return toTree(c).toString();
  }

  public static ObjectNode toTree(StatusChange c) {
    ObjectNode o = Json.object();
    o.put("chainId", c.chainId().value());
    o.put("txHash", c.txHash().toHex());
    o.put("sequence", c.sequence());
    o.put("status", c.status().name());
    if (c.finality() != null) {
      o.set("finality", FinalityCodec.toTree(c.finality()));
    }
    if (c.reason() != null) {
      o.put("reason", c.reason());
    }
    o.put("time", c.at());
    return o;
  }

  /**
   * The transaction a status change written by {@link #toJson} concerns.
   *
   * @throws WireFormatException when it names none
   */
  public static Hash32 txHash(String json) {
    return Fields.parse("status change", json, ErrorCode.VALIDATION_FAILED).hash("txHash");
  }
}
