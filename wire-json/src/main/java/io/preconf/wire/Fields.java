package io.preconf.wire;

import com.fasterxml.jackson.databind.JsonNode;
import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.Rejection;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.preconf.core.types.MalformedValueException;
import io.preconf.core.wire.WireNumbers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Reads the fields of one JSON object strictly, as the wire contract writes them: numbers are whole
 * JSON numbers within 53 bits (no "7", no 7.5), byte strings are 0x hex strings, booleans are true
 * or false. Every problem is a {@link WireFormatException} with this reader's error code, the
 * reason ({@code MISSING_FIELD}, {@code MALFORMED_REQUEST}, {@code OUT_OF_RANGE}, or the one a
 * value type gives: {@code MALFORMED_HEX}, {@code WRONG_LENGTH}) and a message naming the field by
 * its path ({@code commitment.root}, {@code proof[1]}) and the value.
 */
public final class Fields {
  private static final int SHOWN = 80;

  private final String what;
  private final JsonNode node;
  private final String path;
  private final ErrorCode code;

  private Fields(String what, JsonNode node, String path, ErrorCode code) {
    this.what = what;
    this.node = node;
    this.path = path;
    this.code = code;
  }

  /**
   * The fields of {@code body}, which must be a JSON object.
   *
   * @param what names the object in messages ("preconfirm", "evidence")
   * @param code the error code every refusal carries
   */
  public static Fields of(String what, JsonNode body, ErrorCode code) {
    if (absent(body)) {
      throw refusal(code, Reason.MISSING_FIELD, what + " needs a JSON object, got nothing");
    }
    if (!body.isObject()) {
      throw refusal(
          code,
          Reason.MALFORMED_REQUEST,
          what
              + " needs a JSON object, got "
              + body.getNodeType().name().toLowerCase(Locale.ROOT)
              + " "
              + shown(body));
    }
    return new Fields(what, body, "", code);
  }

  /** The fields of the JSON object {@code json}, refused as not JSON or not an object. */
  static Fields parse(String what, String json, ErrorCode code) {
    return of(what, Json.parse(what, json, code), code);
  }

  /** The same fields, refused under another error code (a raw transaction beside a promise). */
  public Fields withCode(ErrorCode other) {
    return new Fields(what, node, path, other);
  }

  /** Refuses fields outside {@code allowed}, which catches typos such as "atmoic". */
  public void onlyFields(Set<String> allowed) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!allowed.contains(name)) {
        throw fail(
            Reason.MALFORMED_REQUEST,
            what
                + " does not take field \""
                + path
                + name
                + "\"; its fields are "
                + allowed.stream().sorted().collect(Collectors.joining(", ")));
      }
    }
  }

  /** The JSON type of a field, as a reader checks it before reading any value. */
  public enum Shape {
    TEXT("a string"),
    WHOLE_NUMBER("a whole JSON number"),
    BOOLEAN("true or false"),
    TEXT_LIST("a list"),
    OBJECT("a JSON object");

    private final String described;

    Shape(String described) {
      this.described = described;
    }
  }

  /**
   * Refuses the first of {@code fields} given with another JSON type than its shape (a list whose
   * elements are not all strings included); an absent field passes, to be found missing when its
   * value is read. A reader that checks every field's type first refuses a mistyped field before a
   * missing or malformed one, whichever order it then reads the values in.
   */
  public void expect(List<Map.Entry<String, Shape>> fields) {
    fields.forEach(f -> expect(f.getKey(), f.getValue()));
  }

  private void expect(String field, Shape shape) {
    if (!has(field)) {
      return;
    }
    JsonNode v = node.get(field);
    boolean fits =
        switch (shape) {
          case TEXT -> v.isTextual();
          case WHOLE_NUMBER -> v.isIntegralNumber() && v.canConvertToLong();
          case BOOLEAN -> v.isBoolean();
          case TEXT_LIST -> v.isArray();
          case OBJECT -> v.isObject();
        };
    if (!fits) {
      throw mistyped(field, shape.described, v);
    }
    if (shape == Shape.TEXT_LIST) {
      texts(field);
    }
  }

  /** Whether the field is given and not null. */
  public boolean has(String field) {
    return !absent(node.get(field));
  }

  public String text(String field) {
    JsonNode v = required(field);
    if (!v.isTextual()) {
      throw mistyped(field, "a string", v);
    }
    return v.asText();
  }

  public String optionalText(String field) {
    return has(field) ? text(field) : null;
  }

  /** A whole JSON number from 0 to 2^53-1. */
  public long number(String field) {
    return number(field, required(field));
  }

  public Long optionalNumber(String field) {
    return has(field) ? number(field) : null;
  }

  /** A whole JSON number from 0 to 2^31-1: a position within a block. */
  public int index(String field) {
    long n = number(field);
    if (n > Integer.MAX_VALUE) {
      throw fail(
          Reason.OUT_OF_RANGE,
          "field \"" + path + field + "\" must be at most " + Integer.MAX_VALUE + ", got " + n);
    }
    return (int) n;
  }

  public boolean bool(String field) {
    JsonNode v = required(field);
    if (!v.isBoolean()) {
      throw mistyped(field, "true or false", v);
    }
    return v.asBoolean();
  }

  public Boolean optionalBool(String field) {
    return has(field) ? bool(field) : null;
  }

  public ChainId chainId(String field) {
    long n = number(field);
    return value(() -> ChainId.of(n));
  }

  public Hash32 hash(String field) {
    String hex = text(field);
    return value(() -> Hash32.fromHex(path + field, hex));
  }

  public Address address(String field) {
    String hex = text(field);
    return value(() -> Address.fromHex(path + field, hex));
  }

  public Bytes bytes(String field) {
    String hex = text(field);
    return value(() -> Bytes.fromHex(path + field, hex));
  }

  public Bytes optionalBytes(String field) {
    return has(field) ? bytes(field) : null;
  }

  /** One of the constants of {@code type}, by name. */
  public <E extends Enum<E>> E oneOf(String field, Class<E> type) {
    String name = text(field);
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(name)) {
        return e;
      }
    }
    throw fail(
        Reason.MALFORMED_REQUEST,
        "field \""
            + path
            + field
            + "\" must be one of "
            + Arrays.toString(type.getEnumConstants())
            + ", got "
            + shown(node.get(field)));
  }

  /** A nested object, read by the fields it holds. */
  public Fields object(String field) {
    JsonNode v = required(field);
    if (!v.isObject()) {
      throw mistyped(field, "a JSON object", v);
    }
    return new Fields(what, v, path + field + ".", code);
  }

  /** A JSON array, its elements as they are. */
  public List<JsonNode> list(String field) {
    JsonNode v = required(field);
    if (!v.isArray()) {
      throw mistyped(field, "a list", v);
    }
    List<JsonNode> out = new ArrayList<>(v.size());
    v.forEach(out::add);
    return out;
  }

  /** A list of strings. */
  public List<String> texts(String field) {
    List<JsonNode> items = list(field);
    List<String> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      JsonNode v = items.get(i);
      if (!v.isTextual()) {
        throw mistyped(field + "[" + i + "]", "a string", v);
      }
      out.add(v.asText());
    }
    return out;
  }

  /** A list of 32-byte hashes, each named by its index in messages. */
  public List<Hash32> hashes(String field) {
    List<String> hex = texts(field);
    List<Hash32> out = new ArrayList<>(hex.size());
    for (int i = 0; i < hex.size(); i++) {
      String name = path + field + "[" + i + "]";
      String h = hex.get(i);
      out.add(value(() -> Hash32.fromHex(name, h)));
    }
    return out;
  }

  /** A list of objects, each read by its fields. */
  public List<Fields> objects(String field) {
    List<JsonNode> items = list(field);
    List<Fields> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      String name = field + "[" + i + "]";
      JsonNode v = items.get(i);
      if (!v.isObject()) {
        throw mistyped(name, "a JSON object", v);
      }
      out.add(new Fields(what, v, path + name + ".", code));
    }
    return out;
  }

  /** A refusal of this object as a whole, for a rule no single field breaks. */
  public WireFormatException fail(Reason reason, String message) {
    return refusal(code, reason, message);
  }

  private long number(String field, JsonNode v) {
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw mistyped(field, "a whole JSON number", v);
    }
    long n = v.asLong();
    if (n < 0 || n > WireNumbers.MAX_SAFE) {
      throw fail(
          Reason.OUT_OF_RANGE,
          "field \"" + path + field + "\" must be between 0 and 2^53-1, got " + n);
    }
    return n;
  }

  private JsonNode required(String field) {
    JsonNode v = node.get(field);
    if (absent(v)) {
      throw fail(Reason.MISSING_FIELD, "field \"" + path + field + "\" is missing");
    }
    return v;
  }

  /** Builds a value type, refusing with the reason the value type gives. */
  private <T> T value(Supplier<T> build) {
    try {
      return build.get();
    } catch (MalformedValueException e) {
      throw fail(e.reason(), e.getMessage());
    }
  }

  private WireFormatException mistyped(String field, String expected, JsonNode got) {
    return fail(
        Reason.MALFORMED_REQUEST,
        "field \"" + path + field + "\" must be " + expected + ", got " + shown(got));
  }

  private static boolean absent(JsonNode v) {
    return v == null || v.isNull() || v.isMissingNode();
  }

  private static String shown(JsonNode v) {
    String s = String.valueOf(v);
    return s.length() > SHOWN ? s.substring(0, SHOWN - 3) + "..." : s;
  }

  private static WireFormatException refusal(ErrorCode code, Reason reason, String message) {
    return new WireFormatException(Rejection.of(code, reason, message));
  }
}
