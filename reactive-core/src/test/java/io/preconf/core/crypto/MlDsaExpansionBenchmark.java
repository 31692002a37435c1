package io.preconf.core.crypto;

import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.params.MLDSAParameters;
import org.bouncycastle.crypto.params.MLDSAPrivateKeyParameters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What expanding an ML-DSA-65 key costs, the work a signer or verifier that keeps no expanded form
 * (Bouncy Castle's) repeats on every call: set beside {@code CoreBenchmark}'s sign and verify rows,
 * it is the share that keeping keys saves. {@code bench/core-jmh.sh} runs it with the others.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class MlDsaExpansionBenchmark {
  private MLDSAPrivateKeyParameters key;
  private byte[] publicKey;

  @Setup
  public void generate() {
    key = new MLDSAPrivateKeyParameters(MLDSAParameters.ml_dsa_65, new byte[32]);
    publicKey = key.getPublicKey();
  }

  /** Â from ρ, NTT(s1), NTT(s2), NTT(t0). */
  @Benchmark
  public Object expandSigningKey() {
    return new MlDsa65.SigningKey(
        key.getRho(), key.getK(), key.getTr(), key.getS1(), key.getS2(), key.getT0());
  }

  /** Â from ρ, NTT(t1·2^d), tr = H(pk). */
  @Benchmark
  public Object expandVerifyingKey() {
    return new MlDsa65.VerifyingKey(publicKey);
  }
}
