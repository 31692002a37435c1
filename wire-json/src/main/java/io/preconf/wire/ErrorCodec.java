package io.preconf.wire;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.preconf.core.engine.IndexedRejection;
import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.Rejection;

/** A coded error as spec section 6 shapes it: {@code {"code","reason","message"}}. */
public final class ErrorCodec {
  private ErrorCodec() {}

  public static ObjectNode toTree(Rejection r) {
    ObjectNode o = Json.object();
    putInto(o, r.code(), r.reason(), r.message());
    return o;
  }

  /**
   * One refused transaction of a preconfirm request: {@code {"index","code","reason","message"}}.
   */
  public static ObjectNode toTree(IndexedRejection r) {
    ObjectNode o = Json.object();
    o.put("index", r.index());
    Rejection why = r.rejection();
    putInto(o, why.code(), why.reason(), why.message());
    return o;
  }

  /** {@code {"error":{..}}}: the whole answer to a request that could not even be read. */
  public static String answer(Rejection r) {
    ObjectNode o = Json.object();
    o.set("error", toTree(r));
    return o.toString();
  }

  /** Writes the error's fields into {@code o}. */
  static void putInto(ObjectNode o, ErrorCode code, Reason reason, String message) {
    o.put("code", code.name());
    o.put("reason", reason.name());
    o.put("message", message);
  }
}
