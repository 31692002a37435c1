package io.preconf.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.preconf.core.commit.Commitment;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.types.Bytes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The streaming reader of {@code validate}'s body takes a body only when it reads it exactly as the
 * tree reader does; any other body is left to the tree reader, which names its problem.
 */
class ValidationBodiesTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int TRIES = 3_000;

  private final ValidationBodies bodies = new ValidationBodies();

  private static String json(Preconfirmation p) {
    return PreconfirmationCodec.toJson(p);
  }

  private Optional<FunctionRequests.Validations> streamed(String body) {
    return bodies.read(body.getBytes(StandardCharsets.UTF_8));
  }

  private static FunctionRequests.Validations tree(String body) throws Exception {
    return FunctionRequests.validations(MAPPER.readTree(body));
  }

  @Test
  void readsWellFormedBodiesAsTheTreeReaderDoes() throws Exception {
    List<String> samples = new ArrayList<>();
    samples.add(json(WireSamples.single()));
    samples.add(json(WireSamples.singleWithPq()));
    samples.add(json(WireSamples.single()).replaceFirst("\\}$", ",\"rawTransaction\":\"0x02c0\"}"));
    samples.add(
        json(WireSamples.batch(true).get(0))
            .replaceFirst("\\}$", ",\"status\":\"PRECONFIRMED\",\"finality\":{\"index\":1}}"));
    samples.add(
        "{\"preconfirmations\":["
            + json(WireSamples.batch(true).get(0))
            + ","
            + json(WireSamples.batch(true).get(1))
            + ","
            + json(WireSamples.single())
            + "],\"rejected\":[]}");
    samples.add("{\"preconfirmations\":[]}");
    for (String body : samples) {
      assertThat(streamed(body)).as(body).contains(tree(body));
    }
  }

  @Test
  void leavesAnyBodyItWouldReadOtherwiseToTheTreeReader() throws Exception {
    JsonNode valid = MAPPER.readTree(json(WireSamples.batch(true).get(0)));
    SplittableRandom random = new SplittableRandom(20_261_205);
    int taken = 0;
    for (int i = 0; i < TRIES; i++) {
      ObjectNode one = valid.deepCopy();
      ReaderPropertiesTest.mutate(one, random);
      String body =
          random.nextBoolean()
              ? one.toString()
              : "{\"preconfirmations\":[" + valid + "," + one + "]}";
      Optional<FunctionRequests.Validations> read = streamed(body);
      if (read.isPresent()) {
        taken++;
        assertThat(read.get()).as(body).isEqualTo(tree(body));
      }
    }
    // Some mutations leave a body well formed (another valid hash, a number in range): those are
    // read, and read the same.
    assertThat(taken).isBetween(1, TRIES / 2);
  }

  @Test
  void leavesDuplicateFieldsTrailingTextAndWrongShapesToTheTreeReader() {
    String p = json(WireSamples.singleWithPq());
    assertThat(streamed(p.replaceFirst("\\{", "{\"nonce\":1,"))).isEmpty();
    assertThat(streamed(p.replace("\"root\":", "\"atomic\":false,\"root\":"))).isEmpty();
    assertThat(streamed(p + " {}")).isEmpty();
    assertThat(streamed("")).isEmpty();
    assertThat(streamed("[" + p + "]")).isEmpty();
    assertThat(streamed("{\"preconfirmations\":null}")).isEmpty();
    assertThat(streamed("{\"preconfirmations\":[7]}")).isEmpty();
    assertThat(streamed("{\"preconfirmations\":[" + p + "],\"preconfirmations\":[]}")).isEmpty();
  }

  @Test
  void aBatchAboveTheBoundIsLeftToTheTreeReaderWhichRefusesItNamingTheSize() throws Exception {
    String p = json(WireSamples.single());
    String body =
        "{\"preconfirmations\":["
            + String.join(
                ",", java.util.Collections.nCopies(FunctionRequests.MAX_VALIDATIONS + 1, p))
            + "]}";
    assertThat(streamed(body)).isEmpty();
    try {
      tree(body);
      throw new AssertionError("a batch above the bound was read");
    } catch (WireFormatException e) {
      assertThat(e.rejection().reason().name()).isEqualTo("TOO_MANY_PRECONFIRMATIONS");
      assertThat(e.getMessage()).contains("501").contains("500");
    }
  }

  @Test
  void aSignatureTextDifferingByOneDigitFromOneReadBeforeIsDecodedFromItsOwnText() {
    String p = json(WireSamples.singleWithPq());
    Commitment first = only(streamed(p)).commitment();
    Commitment again = only(streamed(p)).commitment();
    assertThat(again).isSameAs(first);

    String hex = first.pqSignature().toHex();
    String last = hex.substring(hex.length() - 1);
    String other = hex.substring(0, hex.length() - 1) + (last.equals("0") ? "1" : "0");
    Commitment altered = only(streamed(p.replace(hex, other))).commitment();
    assertThat(altered.pqSignature()).isEqualTo(Bytes.fromHex("pq", other));
    assertThat(altered.pqSignature()).isNotEqualTo(first.pqSignature());

    String upper = "0x" + hex.substring(2).toUpperCase(java.util.Locale.ROOT);
    Commitment sameBytes = only(streamed(p.replace(hex, upper))).commitment();
    assertThat(sameBytes).isEqualTo(first);
  }

  private static Preconfirmation only(Optional<FunctionRequests.Validations> read) {
    assertThat(read).isPresent();
    return read.get().items().get(0).value().preconfirmation();
  }
}
