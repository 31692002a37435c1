package io.preconf.wire;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.preconf.core.commit.Commitment;
import io.preconf.core.commit.Leaf;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.Hash32;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * What reading one {@code validate} body costs (a preconfirmation with a 3,309-byte ML-DSA
 * signature, about 8 KB of JSON): as a Jackson tree read by {@link FunctionRequests#validations},
 * as the streaming {@link ValidationBodies} reads a commitment not verified before, and as it reads
 * a leaf of a commitment verified before. Each in this thread's CPU time, the median of ten rounds
 * of 200 ms, which other processes sharing the cores do not inflate; see benchmarks/engine-cpu.md.
 *
 * <p>Run: {@code java -cp <wire-json test classpath> io.preconf.wire.ValidationReadBenchmark}.
 */
public final class ValidationReadBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int BODIES = 4096;

  private ValidationReadBenchmark() {}

  public static void main(String[] args) throws Exception {
    byte[][] fresh = new byte[BODIES][];
    for (int i = 0; i < BODIES; i++) {
      fresh[i] = body(i);
    }
    byte[] seen = body(BODIES);
    Commitment verified = only(seen).commitment();
    ValidationBodies streaming =
        new ValidationBodies(
            root -> root.equals(verified.root()) ? Optional.of(verified) : Optional.empty());
    int[] n = {0};
    ThreadCpuTime.print(
        "tree",
        () -> {
          try {
            return FunctionRequests.validations(JSON.readTree(fresh[n[0]++ % BODIES]))
                .items()
                .size();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    ThreadCpuTime.print(
        "streamed, a commitment not verified before",
        () -> (long) streaming.read(fresh[n[0]++ % BODIES]).orElseThrow().items().size());
    ThreadCpuTime.print(
        "streamed, a leaf of a commitment verified before",
        () -> (long) streaming.read(seen).orElseThrow().items().size());
  }

  private static Preconfirmation only(byte[] body) {
    return new ValidationBodies(root -> Optional.empty())
        .read(body)
        .orElseThrow()
        .items()
        .get(0)
        .value()
        .preconfirmation();
  }

  /** A preconfirmation under a commitment of its own (its root and signature differ per i). */
  private static byte[] body(int i) {
    Commitment c =
        new Commitment(
            Hash32.wrap(numbered(WireSamples.hash(i).toArray(), i)),
            WireSamples.NOW,
            WireSamples.NOW + 3_600_000,
            true,
            WireSamples.address(1),
            WireSamples.bytes(i, 65),
            Bytes.wrap(numbered(WireSamples.bytes(i, 3309).toArray(), i)));
    Leaf leaf =
        new Leaf(
            WireSamples.ALPHA,
            WireSamples.hash(i + 1),
            WireSamples.address(2),
            i,
            i + 1,
            WireSamples.hash(i + 2),
            WireSamples.NOW,
            882_001);
    return PreconfirmationCodec.toJson(
            new Preconfirmation(WireSamples.hash(i + 3), leaf, List.<Hash32>of(), c))
        .getBytes(StandardCharsets.UTF_8);
  }

  /** {@code b} with {@code i} in its first four bytes: distinct for every i. */
  private static byte[] numbered(byte[] b, int i) {
    b[0] = (byte) (i >>> 24);
    b[1] = (byte) (i >>> 16);
    b[2] = (byte) (i >>> 8);
    b[3] = (byte) i;
    return b;
  }
}
