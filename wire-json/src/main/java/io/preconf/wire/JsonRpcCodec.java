package io.preconf.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.Rejection;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON-RPC 2.0 envelope of the engine's Ethereum front door (<a
 * href="https://www.jsonrpc.org/specification">JSON-RPC 2.0</a>, spec section 8): reads a request
 * body into calls, each one readable or the error that answers it, and writes the answers. A call
 * is refused here, before any method runs, when its envelope is wrong, so that nothing is consumed
 * for it.
 */
public final class JsonRpcCodec {
  /** Invalid JSON was received. */
  public static final int PARSE_ERROR = -32700;

  /** The JSON sent is not a valid request object. */
  public static final int INVALID_REQUEST = -32600;

  /** The method does not exist or is not available. */
  public static final int METHOD_NOT_FOUND = -32601;

  /** Invalid method parameters. */
  public static final int INVALID_PARAMS = -32602;

  /** A failure of the engine itself; {@code data} carries the coded error. */
  public static final int INTERNAL_ERROR = -32603;

  /**
   * A refusal of the engine (the transaction, the request, a backend): the server-error range's
   * first code, as Ethereum nodes use it; {@code data} carries {@code {code, reason, message}}.
   */
  public static final int REFUSED = -32000;

  /**
   * A refusal because the caller is over a rate limit (EIP-1474's "limit exceeded"); {@code data}
   * carries the coded RATE_LIMITED error, whose message says when to retry.
   */
  public static final int LIMIT_EXCEEDED = -32005;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonRpcCodec() {}

  /** One call of a body: readable, or already answered by the error its envelope earned. */
  public sealed interface Call {
    JsonNode id();

    /** {@code params} is always an array (absent params are an empty one). */
    record Request(JsonNode id, String method, ArrayNode params) implements Call {}

    record Invalid(JsonNode id, int code, String message) implements Call {}
  }

  /**
   * A body read: its calls in order, whether it was a batch, or the one error that answers the
   * whole body (not JSON, an empty batch, a batch over the bound).
   */
  public record Body(List<Call> calls, boolean batch, ObjectNode error) {}

  /** Reads a request body; never throws. A batch holds at most {@code maxBatch} calls. */
  public static Body read(String text, int maxBatch) {
    JsonNode body;
    try {
      body = text == null || text.isBlank() ? null : MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      return whole(
          PARSE_ERROR,
          "the body is not valid JSON: "
              + e.getOriginalMessage()
              + " at line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr());
    }
    if (body == null || body.isMissingNode()) {
      return whole(PARSE_ERROR, "the body is empty");
    }
    if (!body.isArray()) {
      return new Body(List.of(call(body)), false, null);
    }
    if (body.isEmpty()) {
      return whole(INVALID_REQUEST, "the batch is empty");
    }
    if (body.size() > maxBatch) {
      return whole(
          INVALID_REQUEST,
          "the batch holds " + body.size() + " calls, more than the " + maxBatch + " allowed");
    }
    List<Call> calls = new ArrayList<>(body.size());
    body.forEach(c -> calls.add(call(c)));
    return new Body(calls, true, null);
  }

  private static Body whole(int code, String message) {
    return new Body(List.of(), false, error(NullNode.getInstance(), code, message, null));
  }

  /** One request object, checked as JSON-RPC 2.0 asks, the first problem named. */
  private static Call call(JsonNode c) {
    if (!c.isObject()) {
      return invalid(NullNode.getInstance(), "a request must be an object, got " + brief(c));
    }
    JsonNode id = c.get("id");
    JsonNode idOrNull = id != null && (id.isTextual() || id.isIntegralNumber()) ? id : null;
    JsonNode answerId = idOrNull == null ? NullNode.getInstance() : idOrNull;
    JsonNode version = c.get("jsonrpc");
    if (version == null || !version.isTextual() || !version.asText().equals("2.0")) {
      return invalid(answerId, "jsonrpc must be \"2.0\", got " + brief(version));
    }
    if (id == null) {
      // A notification would be answered with nothing: a transaction sent that way could be
      // promised with nobody told. The engine answers every call, so it needs the id.
      return invalid(
          answerId, "id is missing: notifications are not served, give every call an id");
    }
    if (idOrNull == null) {
      return invalid(answerId, "id must be a string or an integer, got " + brief(id));
    }
    JsonNode method = c.get("method");
    if (method == null || !method.isTextual() || method.asText().isEmpty()) {
      return invalid(answerId, "method must be a non-empty string, got " + brief(method));
    }
    JsonNode params = c.get("params");
    if (params != null && !params.isNull() && !params.isArray()) {
      return new Call.Invalid(
          answerId,
          INVALID_PARAMS,
          "params of " + method.asText() + " must be an array, got " + brief(params));
    }
    for (var fields = c.fieldNames(); fields.hasNext(); ) {
      String f = fields.next();
      if (!f.equals("jsonrpc") && !f.equals("id") && !f.equals("method") && !f.equals("params")) {
        return invalid(answerId, "unknown member \"" + f + "\" in the request");
      }
    }
    ArrayNode list = params instanceof ArrayNode a ? a : MAPPER.createArrayNode();
    return new Call.Request(answerId, method.asText(), list);
  }

  private static Call invalid(JsonNode id, String message) {
    return new Call.Invalid(id, INVALID_REQUEST, message);
  }

  /** {@code {"jsonrpc":"2.0","id":..,"result":..}}. */
  public static ObjectNode result(JsonNode id, JsonNode value) {
    ObjectNode o = envelope(id);
    o.set("result", value == null ? NullNode.getInstance() : value);
    return o;
  }

  /** {@code {"jsonrpc":"2.0","id":..,"error":{"code","message","data"?}}}. */
  public static ObjectNode error(JsonNode id, int code, String message, JsonNode data) {
    ObjectNode o = envelope(id);
    ObjectNode e = o.putObject("error");
    e.put("code", code);
    e.put("message", message);
    if (data != null) {
      e.set("data", data);
    }
    return o;
  }

  /** The engine's refusal: {@link #REFUSED}, its message, and the coded error as {@code data}. */
  public static ObjectNode refusal(JsonNode id, Rejection why) {
    int code = why.reason() == Reason.RATE_LIMITED ? LIMIT_EXCEEDED : REFUSED;
    return error(id, code, why.message(), ErrorCodec.toTree(why));
  }

  /** The engine's own failure: {@link #INTERNAL_ERROR}, the coded error as {@code data}. */
  public static ObjectNode internal(JsonNode id, Rejection why) {
    return error(id, INTERNAL_ERROR, why.message(), ErrorCodec.toTree(why));
  }

  /** A JSON text (a node's result) as a tree, to put in an answer as it is. */
  public static JsonNode tree(String json) {
    return Json.parse("the node's result", json, ErrorCode.VALIDATION_FAILED);
  }

  /** The answers of a body, in order: one object, or an array for a batch. */
  public static JsonNode answers(List<ObjectNode> answers, boolean batch) {
    if (!batch) {
      return answers.get(0);
    }
    ArrayNode a = MAPPER.createArrayNode();
    answers.forEach(a::add);
    return a;
  }

  private static ObjectNode envelope(JsonNode id) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("jsonrpc", "2.0");
    o.set("id", id == null ? NullNode.getInstance() : id);
    return o;
  }

  private static String brief(JsonNode value) {
    if (value == null) {
      return "nothing";
    }
    String s = value.toString();
    return s.length() <= 60 ? s : s.substring(0, 60) + "...";
  }
}
