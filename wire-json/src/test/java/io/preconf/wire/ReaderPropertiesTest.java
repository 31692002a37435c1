package io.preconf.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.preconf.core.error.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Whatever a client sends in place of one field of a preconfirmation, reading it either succeeds or
 * refuses with a coded error naming that field: never another exception, never a silent default.
 */
class ReaderPropertiesTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int TRIES = 3_000;
  static final String[] VALUES = {
    "null",
    "\"\"",
    "\"0x\"",
    "\"0xzz\"",
    "\"0x0\"",
    "7",
    "-1",
    "7.5",
    "1e30",
    "true",
    "[]",
    "{}",
    "\"7\"",
    "9007199254740992",
    "99999999999999999999999",
    "[\"0x01\"]",
    "\"0xAB\"",
    "\"" + "0x" + "ab".repeat(32) + "\"",
    "\"" + "0x" + "ab".repeat(20) + "\""
  };

  @Test
  void anyOneBadFieldIsRefusedByNameOrRead() throws Exception {
    JsonNode valid = MAPPER.readTree(PreconfirmationCodec.toJson(WireSamples.batch(true).get(0)));
    SplittableRandom random = new SplittableRandom(20_251_205);
    int refused = 0;
    for (int i = 0; i < TRIES; i++) {
      ObjectNode body = valid.deepCopy();
      String name = mutate(body, random);
      try {
        FunctionRequests.validate(body);
      } catch (WireFormatException e) {
        refused++;
        assertThat(e.rejection().code())
            .as(name)
            .isIn(ErrorCode.INVALID_PRECONFIRMATION, ErrorCode.INVALID_TRANSACTION);
        assertThat(e.getMessage()).as(body.toString()).contains(name);
      }
    }
    assertThat(refused).isGreaterThan(TRIES / 2);
  }

  /** Replaces or drops one field (top level, in the commitment, or a proof element); its path. */
  static String mutate(ObjectNode body, SplittableRandom random) throws Exception {
    String value = VALUES[random.nextInt(VALUES.length)];
    boolean drop = random.nextInt(5) == 0;
    int where = random.nextInt(3);
    if (where == 0) {
      ObjectNode c = (ObjectNode) body.get("commitment");
      String field = pick(c, random);
      set(c, field, value, drop);
      return field.equals("pqSignature") && drop ? "" : "commitment." + field;
    }
    if (where == 1) {
      ((ArrayNode) body.get("proof")).set(0, MAPPER.readTree(value));
      return "proof";
    }
    String field = pick(body, random);
    set(body, field, value, drop);
    return field;
  }

  private static String pick(ObjectNode o, SplittableRandom random) {
    List<String> names = new ArrayList<>();
    o.fieldNames().forEachRemaining(names::add);
    return names.get(random.nextInt(names.size()));
  }

  private static void set(ObjectNode o, String field, String value, boolean drop) throws Exception {
    if (drop) {
      o.remove(field);
    } else {
      o.set(field, MAPPER.readTree(value));
    }
  }
}
