package io.preconf.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.Rejection;

/** The one plain Jackson mapper the codecs build and parse trees with. */
final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static ArrayNode array() {
    return MAPPER.createArrayNode();
  }

  /** A node written as {@code json}, verbatim: text a codec wrote, embedded in a larger answer. */
  static JsonNode raw(String json) {
    return MAPPER.getNodeFactory().rawValueNode(new RawValue(json));
  }

  /** Parses {@code text}; unreadable JSON is a {@link WireFormatException} naming {@code what}. */
  static JsonNode parse(String what, String text, ErrorCode code) {
    if (text == null) {
      throw new WireFormatException(Rejection.of(code, Reason.MISSING_FIELD, what + " is missing"));
    }
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new WireFormatException(
          Rejection.of(
              code,
              Reason.MALFORMED_REQUEST,
              what + " is not valid JSON: " + e.getOriginalMessage()));
    }
  }
}
