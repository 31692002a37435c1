package io.preconf.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.preconf.core.commit.Commitment;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.error.Result;
import io.preconf.core.types.Hash32;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

  /** Commitments taken as verified before, by root. */
  private final Map<Hash32, Commitment> verified = new HashMap<>();

  private final ValidationBodies bodies =
      new ValidationBodies(root -> Optional.ofNullable(verified.get(root)));

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
  void aLeafOfAVerifiedCommitmentSpelledByteForByteGetsTheVerifiedCommitmentItself()
      throws Exception {
    String p = json(WireSamples.singleWithPq());
    Commitment first = only(streamed(p)).commitment();
    assertThat(only(streamed(p)).commitment()).isNotSameAs(first);

    verified.put(first.root(), first);
    assertThat(only(streamed(p)).commitment()).isSameAs(first);
    assertThat(streamed(p)).contains(tree(p));

    String hex = first.pqSignature().toHex();
    String upper = "0x" + hex.substring(2).toUpperCase(Locale.ROOT);
    Commitment sameBytes = only(streamed(p.replace(hex, upper))).commitment();
    assertThat(sameBytes).isEqualTo(first);
  }

  @Test
  void theLeavesOfABatchShareTheCommitmentTheyAllSpell() {
    List<Preconfirmation> round = WireSamples.batch(true);
    String body = "{\"preconfirmations\":[" + json(round.get(0)) + "," + json(round.get(1)) + "]}";
    List<Result<FunctionRequests.Validation>> items = streamed(body).orElseThrow().items();
    assertThat(items.get(1).value().preconfirmation().commitment())
        .isSameAs(items.get(0).value().preconfirmation().commitment());
  }

  /**
   * Every character of every commitment field's value, one at a time, replaced by another that
   * keeps the body well formed: the commitment read is the one the altered text spells, as the tree
   * reader reads it, never the verified one it was copied from.
   */
  @Test
  void aCommitmentDifferingFromAVerifiedOneInAnyCharacterIsReadFromItsOwnText() throws Exception {
    String p = json(WireSamples.singleWithPq());
    Commitment known = only(streamed(p)).commitment();
    verified.put(known.root(), known);
    int from = p.indexOf("\"commitment\":{");
    int to = p.indexOf('}', from);
    int altered = 0;
    for (int at = from; at < to; at++) {
      char c = p.charAt(at);
      char other = replacement(p, at);
      if (other == 0) {
        continue;
      }
      String body = p.substring(0, at) + other + p.substring(at + 1);
      Optional<FunctionRequests.Validations> read = streamed(body);
      assertThat(read).as("%c at %d", c, at).contains(tree(body));
      Commitment got = read.get().items().get(0).value().preconfirmation().commitment();
      assertThat(got).as("%c at %d", c, at).isNotEqualTo(known);
      altered++;
    }
    assertThat(altered).isGreaterThan(2 * known.pqSignature().size());
  }

  /**
   * Another character for the one at {@code at} of a commitment's text that keeps it well formed
   * and changes a value: a hex digit after a value's {@code 0x}, a number's digit (not its first),
   * an atomic flag's word; 0 for structure, names and prefixes.
   */
  private static char replacement(String p, int at) {
    char c = p.charAt(at);
    int open = p.lastIndexOf('"', at - 1);
    boolean inHex = p.charAt(open - 1) == ':' && p.startsWith("0x", open + 1) && at >= open + 3;
    if (inHex && Character.digit(c, 16) >= 0) {
      return c == 'f' ? 'e' : c == '9' ? 'a' : (char) (c + 1);
    }
    if (Character.isDigit(c) && Character.isDigit(p.charAt(at - 1))) {
      return c == '9' ? '8' : (char) (c + 1);
    }
    return 0;
  }

  @Test
  void anAtomicFlagDifferingFromAVerifiedCommitmentsIsReadFromItsOwnText() throws Exception {
    String p = json(WireSamples.singleWithPq());
    Commitment known = only(streamed(p)).commitment();
    verified.put(known.root(), known);
    String flag = "\"atomic\":" + known.atomic();
    String body = p.replace(flag, "\"atomic\":" + !known.atomic());
    assertThat(streamed(body)).contains(tree(body));
    assertThat(only(streamed(body)).commitment().atomic()).isEqualTo(!known.atomic());
  }

  private static Preconfirmation only(Optional<FunctionRequests.Validations> read) {
    assertThat(read).isPresent();
    return read.get().items().get(0).value().preconfirmation();
  }
}
