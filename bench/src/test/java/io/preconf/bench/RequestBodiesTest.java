package io.preconf.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.preconf.core.tx.DecodedTransaction;
import io.preconf.core.tx.TransactionDecoder;
import io.preconf.core.types.ChainId;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The validation bodies of the e2e benchmark, cold and cached; the delivery benchmark's bodies:
 * senders taken in turn, each sender's nonces counting up in file order (what a node includes
 * without gaps), each hash that of the signed bytes in the body.
 */
class RequestBodiesTest {
  @Test
  void sendersTakeTurnsWithTheirNoncesInFileOrder() throws Exception {
    ChainId chain = ChainId.of(1672101);
    RequestBodies.Senders s =
        RequestBodies.senders(7, 3, chain, BigInteger.valueOf(10_000_000_000L));

    assertThat(s.bodies()).hasSize(7);
    assertThat(s.addresses()).hasSize(3).doesNotHaveDuplicates();
    for (int i = 0; i < 7; i++) {
      String raw =
          new ObjectMapper().readTree(s.bodies().get(i)).path("transactions").path(0).asText();
      DecodedTransaction tx = TransactionDecoder.decodeHex(raw).value();
      assertThat(tx.sender().toHex()).isEqualTo(s.addresses().get(i % 3));
      assertThat(tx.nonce()).as("body %d", i).isEqualTo(i / 3);
      assertThat(tx.chainId()).isEqualTo(chain);
      assertThat(tx.maxFeePerGas()).isEqualTo(BigInteger.valueOf(10_000_000_000L));
      assertThat(tx.txHash().toHex()).isEqualTo(s.hashes().get(i));
    }
  }

  /**
   * Kept answers whose preconfirmations share commitments, as rounds share them: a cold run takes
   * one leaf of each commitment not verified before, a later cold run none of those, and a cached
   * run only leaves of commitments the cold runs verified.
   */
  @Test
  void coldValidationsTakeOneLeafOfEachUnverifiedCommitmentAndCachedOnlyVerifiedOnes(
      @TempDir Path dir) throws Exception {
    Path answers = dir.resolve("issued.txt");
    Files.write(
        answers,
        List.of(
            answer("a", 1),
            answer("a", 2),
            answer("b", 3),
            answer("a", 4),
            answer("c", 5),
            answer("b", 6),
            answer("d", 7)));
    Path verified = dir.resolve("verified.txt");
    Path out = dir.resolve("bodies.txt");

    String first = RequestBodies.validations(answers, out, 2, verified, 1, true);
    assertThat(roots(out)).containsExactly("a", "b");
    assertThat(first).startsWith("2 bodies, 2 distinct commitments, 0 of them");

    RequestBodies.validations(answers, out, 10, verified, 1, true);
    assertThat(roots(out))
        .as("fewer than asked: never a commitment twice")
        .containsExactly("c", "d");

    String cached = RequestBodies.validations(answers, out, 9, verified, 1, false);
    assertThat(roots(out)).hasSize(9).containsOnly("a", "b", "c", "d");
    assertThat(sequences(out)).startsWith(1L, 2L, 3L, 4L, 5L, 6L, 7L, 1L, 2L);
    assertThat(cached).startsWith("9 bodies, 4 distinct commitments, 5 of them");
  }

  /** In the batch form, whole batches only, each of the leaves a single body would hold in turn. */
  @Test
  void batchedValidationsHoldPerPreconfirmationsToABody(@TempDir Path dir) throws Exception {
    Path answers = dir.resolve("issued.txt");
    Files.write(answers, List.of(answer("a", 1), answer("b", 2), answer("c", 3)));
    Path verified = dir.resolve("verified.txt");
    Path out = dir.resolve("bodies.txt");
    RequestBodies.validations(answers, out, 3, verified, 1, true);

    String said = RequestBodies.validations(answers, out, 7, verified, 2, false);
    List<String> lines = Files.readAllLines(out);
    assertThat(lines).hasSize(3);
    List<Long> sequences = new ArrayList<>();
    for (String line : lines) {
      new ObjectMapper()
          .readTree(line)
          .path("preconfirmations")
          .forEach(p -> sequences.add(p.path("sequence").asLong()));
    }
    assertThat(sequences).containsExactly(1L, 2L, 3L, 1L, 2L, 3L);
    assertThat(said)
        .startsWith("6 bodies, 3 distinct commitments, 3 of them")
        .endsWith("; 2 per request");
  }

  private static String answer(String root, long sequence) {
    return "{\"preconfirmations\":[{\"sequence\":"
        + sequence
        + ",\"commitment\":{\"root\":\""
        + root
        + "\"}}]}";
  }

  private static List<String> roots(Path bodies) throws Exception {
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(bodies)) {
      out.add(new ObjectMapper().readTree(line).path("commitment").path("root").asText());
    }
    return out;
  }

  private static List<Long> sequences(Path bodies) throws Exception {
    List<Long> out = new ArrayList<>();
    for (String line : Files.readAllLines(bodies)) {
      out.add(new ObjectMapper().readTree(line).path("sequence").asLong());
    }
    return out;
  }
}
