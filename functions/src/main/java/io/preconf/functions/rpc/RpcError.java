package io.preconf.functions.rpc;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A call answered with a JSON-RPC error of its own code: bad params, the EIP-7966 and ERC-7796
 * codes, Bolt's and the eth-fabric gateway's codes.
 */
final class RpcError extends RuntimeException {
  final int code;
  final transient JsonNode data;

  RpcError(int code, String message, JsonNode data) {
    super(message, null, false, false);
    this.code = code;
    this.data = data;
  }

  RpcError(int code, String message) {
    this(code, message, null);
  }
}
