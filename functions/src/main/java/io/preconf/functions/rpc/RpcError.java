package io.preconf.functions.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import io.preconf.core.error.Rejection;
import io.preconf.wire.ErrorCodec;

/**
 * A call answered with a JSON-RPC error of its own code: bad params, the EIP-7966 and ERC-7796
 * codes, Bolt's and the eth-fabric gateway's codes.
 */
final class RpcError extends RuntimeException {
  final int code;
  final transient JsonNode data;

  /** The coded error the answer's {@code data} carries, or null. */
  final transient Rejection why;

  RpcError(int code, String message, JsonNode data) {
    super(message, null, false, false);
    this.code = code;
    this.data = data;
    this.why = null;
  }

  RpcError(int code, String message) {
    this(code, message, (JsonNode) null);
  }

  /** {@code data} is {@code why} as the coded error {@code {code, reason, message}}. */
  RpcError(int code, String message, Rejection why) {
    super(message, null, false, false);
    this.code = code;
    this.data = ErrorCodec.toTree(why);
    this.why = why;
  }
}
