package io.preconf.functions.json;

import static io.preconf.core.error.ErrorCode.VALIDATION_FAILED;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.wire.WirePreconfirmation;
import java.util.Iterator;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads request bodies strictly: numbers must be JSON numbers (no "7", no 7.5), unknown fields are
 * named, and every problem becomes a coded error naming the field and the value.
 */
public final class Bodies {
  private static final ObjectMapper STRICT = strict();

  private Bodies() {}

  private static ObjectMapper strict() {
    ObjectMapper m = new ObjectMapper();
    m.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    m.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    m.coercionConfigFor(LogicalType.Integer)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    m.coercionConfigFor(LogicalType.Boolean)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    m.coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    return m;
  }

  /** The body as an object, or a coded error when it is missing or not an object. */
  public static JsonNode object(String function, JsonNode body, ErrorCode code) {
    if (body == null || body.isNull() || body.isMissingNode()) {
      throw new RequestError(code, Reason.MISSING_FIELD, function + " needs a JSON object body");
    }
    if (!body.isObject()) {
      throw new RequestError(
          code,
          Reason.MALFORMED_REQUEST,
          function + " needs a JSON object body, got " + body.getNodeType().name().toLowerCase());
    }
    return body;
  }

  /** Refuses fields outside {@code allowed}, which catches typos such as "atmoic". */
  public static void onlyFields(String function, JsonNode body, Set<String> allowed) {
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!allowed.contains(name)) {
        throw new RequestError(
            VALIDATION_FAILED,
            Reason.MALFORMED_REQUEST,
            function
                + " does not take field \""
                + name
                + "\"; its fields are "
                + allowed.stream().sorted().collect(Collectors.joining(", ")));
      }
    }
  }

  /** Maps a preconfirmation object; extra fields (status, finality, rawTransaction) are ignored. */
  public static WirePreconfirmation preconfirmation(JsonNode body) {
    try {
      return STRICT.treeToValue(body, WirePreconfirmation.class);
    } catch (MismatchedInputException e) {
      throw new RequestError(
          ErrorCode.INVALID_PRECONFIRMATION, Reason.MALFORMED_REQUEST, describe(e));
    } catch (Exception e) {
      throw new RequestError(
          ErrorCode.INVALID_PRECONFIRMATION, Reason.MALFORMED_REQUEST, e.getMessage());
    }
  }

  /** "field \"commitment.issuedAt\" must be a number, got \"soon\"". */
  static String describe(MismatchedInputException e) {
    String path =
        e.getPath().stream()
            .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
            .collect(Collectors.joining("."))
            .replace(".[", "[");
    String expected = e.getTargetType() == null ? "another type" : kind(e.getTargetType());
    String got = e instanceof InvalidFormatException f ? " got " + quoted(f.getValue()) : "";
    return "field \"" + path + "\" must be " + expected + (got.isEmpty() ? "" : "," + got);
  }

  private static String kind(Class<?> type) {
    if (type == Long.class || type == long.class || type == Integer.class || type == int.class) {
      return "a whole JSON number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (java.util.List.class.isAssignableFrom(type)) {
      return "a list";
    }
    return "an object";
  }

  private static String quoted(Object value) {
    return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
  }

  /** A whole JSON number within 53 bits, or a coded error naming the field and value. */
  public static long safeLong(String field, JsonNode v, ErrorCode code) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      throw new RequestError(code, Reason.MISSING_FIELD, "field \"" + field + "\" is missing");
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new RequestError(
          code,
          Reason.MALFORMED_REQUEST,
          "field \"" + field + "\" must be a whole JSON number, got " + v);
    }
    long value = v.asLong();
    if (value < 0 || value > io.preconf.core.wire.WireCodec.MAX_SAFE) {
      throw new RequestError(
          code,
          Reason.OUT_OF_RANGE,
          "field \"" + field + "\" must be between 0 and 2^53-1, got " + value);
    }
    return value;
  }

  public static String text(String field, JsonNode v, ErrorCode code) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      throw new RequestError(code, Reason.MISSING_FIELD, "field \"" + field + "\" is missing");
    }
    if (!v.isTextual()) {
      throw new RequestError(
          code, Reason.MALFORMED_REQUEST, "field \"" + field + "\" must be a string, got " + v);
    }
    return v.asText();
  }
}
