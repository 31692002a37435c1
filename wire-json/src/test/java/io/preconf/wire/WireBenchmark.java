package io.preconf.wire;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.preconf.core.commit.Commitment;
import io.preconf.core.commit.Leaf;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.engine.PreconfirmResult;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.Hash32;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the engine writes for one round of two single-transaction requests sharing a commitment
 * signed with ML-DSA (3,309 bytes), as it runs at 500 requests per second: for each preconfirmation
 * the answer (written to bytes as the HTTP route writes it), the cache entry and the feed log entry
 * ({@link PreconfirmationCodec#toJson}). Each operation is a new round, with a signature the codecs
 * have not seen yet, so that nothing is reused across rounds that the engine could not reuse.
 *
 * <p>Run: {@code java -cp <wire-json test classpath> org.openjdk.jmh.Main WireBenchmark}, or this
 * class's {@code main} for the same operation in this thread's CPU time (the median of ten rounds
 * of 200 ms), which other processes sharing the cores do not inflate; see benchmarks/engine-cpu.md.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class WireBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] PQ_SIGNATURE = WireSamples.bytes(3, 3309).toArray();
  private static final byte[] SIGNATURE = WireSamples.bytes(2, 65).toArray();

  @State(Scope.Thread)
  public static class Round {
    long n;

    /** Two requests' preconfirmations under a commitment the codecs meet for the first time. */
    List<Preconfirmation> next() {
      n++;
      Hash32 root = WireSamples.hash((int) n);
      Commitment c =
          new Commitment(
              root,
              WireSamples.NOW + n,
              WireSamples.NOW + n + 3_600_000,
              false,
              WireSamples.address(1),
              Bytes.wrap(SIGNATURE.clone()),
              Bytes.wrap(PQ_SIGNATURE.clone()));
      return List.of(preconfirmation(c, 0), preconfirmation(c, 1));
    }

    private Preconfirmation preconfirmation(Commitment c, int i) {
      Leaf leaf =
          new Leaf(
              WireSamples.ALPHA,
              WireSamples.hash(100 + i),
              WireSamples.address(2 + i),
              n,
              2 * n + i,
              WireSamples.hash(200 + i),
              WireSamples.NOW,
              882_001);
      return new Preconfirmation(
          WireSamples.hash(300 + i), leaf, List.of(WireSamples.hash(400 + i)), c);
    }
  }

  public static void main(String[] args) throws Exception {
    WireBenchmark benchmark = new WireBenchmark();
    Round round = new Round();
    ThreadCpuTime.print(
        "roundOfTwo",
        () -> {
          try {
            return benchmark.roundOfTwo(round);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  /** The answer, the cache entry and the feed entry of each of the round's preconfirmations. */
  @Benchmark
  public long roundOfTwo(Round round) throws Exception {
    long bytes = 0;
    for (Preconfirmation p : round.next()) {
      bytes +=
          JSON.writeValueAsBytes(
                  FunctionResponses.preconfirm(new PreconfirmResult(List.of(p), List.of(), null)))
              .length;
      bytes += PreconfirmationCodec.toJson(p).length();
      bytes += PreconfirmationCodec.toJson(p).length();
    }
    return bytes;
  }
}
