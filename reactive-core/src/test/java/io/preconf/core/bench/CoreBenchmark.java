package io.preconf.core.bench;

import io.preconf.core.commit.CommitmentTypedData;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.crypto.EcdsaSignatures;
import io.preconf.core.crypto.EcdsaSigner;
import io.preconf.core.crypto.Keccak;
import io.preconf.core.crypto.MlDsaSignatures;
import io.preconf.core.crypto.MlDsaVerifier;
import io.preconf.core.crypto.Secp256k1Backend;
import io.preconf.core.engine.EngineConfig;
import io.preconf.core.engine.PreconfirmRequest;
import io.preconf.core.engine.PreconfirmResult;
import io.preconf.core.rollup.Rollups;
import io.preconf.core.testing.EngineFixture;
import io.preconf.core.tx.DecodedTransaction;
import io.preconf.core.tx.TransactionDecoder;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.preconf.core.validation.ValidationReport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.params.MLDSAParameters;
import org.bouncycastle.crypto.params.MLDSAPrivateKeyParameters;
import org.bouncycastle.crypto.signers.MLDSASigner;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The core's hot paths beside the raw cost of the crypto they call, measured in one run so that the
 * ratio is meaningful. Ports are the in-memory test ones and CPU work runs on the calling thread:
 * this measures the engine's own overhead, not I/O.
 *
 * <p>Run with {@code bench/core-jmh.sh}; results land in {@code benchmarks/core-jmh.md}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CoreBenchmark {
  static final int POOL = 24_000;

  /**
   * Rollups whose slots never fill: every benchmarked transaction targets the same slot, and a
   * refused one would time the refusal path instead of the promise.
   */
  static final Rollups UNLIMITED =
      Rollups.of(
          List.of(
              EngineFixture.rollup(EngineFixture.ALPHA, "alpha", Integer.MAX_VALUE, Long.MAX_VALUE),
              EngineFixture.rollup(EngineFixture.BETA, "beta", Integer.MAX_VALUE, Long.MAX_VALUE)));

  static EngineFixture fixture(EngineConfig config) {
    return new EngineFixture(config, Runnable::run, List.of(), UNLIMITED);
  }

  /** Distinct signed transactions, so that every preconfirm is a new one. */
  @State(Scope.Benchmark)
  public static class Transactions {
    final List<String> hex = new ArrayList<>(POOL);
    final List<Bytes> raw = new ArrayList<>(POOL);

    @Setup
    public void sign() {
      for (int i = 0; i < POOL; i++) {
        ChainId chain = i % 2 == 0 ? EngineFixture.ALPHA : EngineFixture.BETA;
        String tx = EngineFixture.transfer(chain, i, 0);
        hex.add(tx);
        raw.add(Bytes.fromHex("tx", tx));
      }
    }
  }

  /** An engine with fresh lanes each iteration; a cursor walks the transaction pool. */
  public abstract static class EngineState {
    EngineFixture fixture;
    int cursor;

    abstract EngineConfig config();

    EngineFixture build() {
      return fixture(config());
    }

    @Setup(Level.Iteration)
    public void freshEngine() {
      fixture = build();
      cursor = 0;
    }

    String next(Transactions txs) {
      String tx = txs.hex.get(cursor);
      cursor = (cursor + 1) % POOL;
      return tx;
    }
  }

  @State(Scope.Thread)
  public static class WithMlDsa extends EngineState {
    @Override
    EngineConfig config() {
      return EngineConfig.defaults();
    }
  }

  /** The engine as the functions run it: libsecp256k1 signs and recovers, ML-DSA co-signs. */
  @State(Scope.Thread)
  public static class WithMlDsaNative extends EngineState {
    @Override
    EngineConfig config() {
      return EngineConfig.defaults();
    }

    @Override
    EngineFixture build() {
      return new EngineFixture(config(), Runnable::run, List.of(), UNLIMITED, Native.load());
    }
  }

  @State(Scope.Thread)
  public static class EcdsaOnly extends EngineState {
    @Override
    EngineConfig config() {
      return EngineConfig.defaults().withQuantumSignatures(false);
    }
  }

  @State(Scope.Thread)
  public static class EcdsaOnlySerial extends EngineState {
    @Override
    EngineConfig config() {
      return EngineConfig.defaults().withQuantumSignatures(false).withParallelProcessing(false);
    }
  }

  /**
   * Issued preconfirmations, each under its own commitment. The cold validator remembers only two
   * commitments, so cycling through 3,000 always verifies from scratch; the warm one remembers all.
   * The native cold one checks ECDSA on libsecp256k1, as the deployed functions do.
   */
  @State(Scope.Thread)
  public static class Issued {
    final List<Preconfirmation> all = new ArrayList<>();
    EngineFixture cold;
    EngineFixture coldNative;
    EngineFixture warm;
    int cursor;

    @Setup(Level.Trial)
    public void issue(Transactions txs) {
      EngineFixture issuer = fixture(EngineConfig.defaults());
      for (int i = 0; i < 3_000; i++) {
        PreconfirmResult r =
            issuer
                .engine
                .preconfirm(new PreconfirmRequest(List.of(txs.hex.get(i)), false, null))
                .await()
                .indefinitely();
        all.add(promised(r).preconfirmations().get(0));
      }
      EngineConfig forgetful = EngineConfig.defaults().withVerifiedRootCacheSize(2);
      cold = new EngineFixture(forgetful, Runnable::run);
      coldNative = new EngineFixture(forgetful, Runnable::run, List.of(), UNLIMITED, Native.load());
      warm = new EngineFixture();
      cursor = 0;
    }

    Preconfirmation next() {
      Preconfirmation p = all.get(cursor);
      cursor = (cursor + 1) % all.size();
      return p;
    }
  }

  /**
   * The leaves of 30 rounds of 100 transactions each, one commitment per round (proofs of 6 or 7
   * levels), all checked once by a validator that remembers them: what a verifier checking every
   * leaf of the rounds it follows does.
   */
  @State(Scope.Thread)
  public static class Rounds {
    static final int ROUNDS = 30;
    static final int PER_ROUND = 100;
    final List<Preconfirmation> all = new ArrayList<>();
    EngineFixture warm;
    int cursor;

    @Setup(Level.Trial)
    public void issue(Transactions txs) {
      EngineFixture issuer = fixture(EngineConfig.defaults());
      for (int r = 0; r < ROUNDS; r++) {
        List<String> round = txs.hex.subList(r * PER_ROUND, (r + 1) * PER_ROUND);
        all.addAll(
            promised(
                    issuer
                        .engine
                        .preconfirm(new PreconfirmRequest(round, false, null))
                        .await()
                        .indefinitely())
                .preconfirmations());
      }
      warm = new EngineFixture();
      for (Preconfirmation p : all) {
        accepted(warm.validation.validate(p, null).await().indefinitely());
      }
      cursor = 0;
    }

    Preconfirmation next() {
      Preconfirmation p = all.get(cursor);
      cursor = (cursor + 1) % all.size();
      return p;
    }
  }

  /**
   * Commitment digests and their signatures, for the crypto floor. ML-DSA signing loops until a
   * candidate passes its rejection checks, so its cost depends on the message: the floor walks 256
   * digests, as the engine signs a different one every time, rather than timing one lucky or
   * unlucky digest.
   */
  @State(Scope.Thread)
  public static class Crypto {
    static final int DIGESTS = 256;
    final Hash32[] digest = new Hash32[DIGESTS];
    final Bytes[] signature = new Bytes[DIGESTS];
    final Bytes[] pqSignature = new Bytes[DIGESTS];
    Bytes pqPublicKey;
    MlDsaVerifier pqVerifier;
    MLDSAPrivateKeyParameters bouncyCastleKey;
    byte[] leafEncoding = new byte[256];
    int at;

    @Setup
    public void prepare() {
      for (int i = 0; i < DIGESTS; i++) {
        digest[i] = CommitmentTypedData.digest(Hash32.ZERO, 1_000L + i, 2_000L + i, false);
        signature[i] = EngineFixture.PRECONFER.sign(digest[i]);
        pqSignature[i] = EngineFixture.PQ.sign(digest[i]);
      }
      pqPublicKey = EngineFixture.PQ.publicKey();
      pqVerifier = MlDsaVerifier.of(pqPublicKey);
      bouncyCastleKey =
          new MLDSAPrivateKeyParameters(
              MLDSAParameters.ml_dsa_65,
              EngineFixture.hex(
                      "0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
                  .toArray());
      if (!Bytes.wrap(bouncyCastleKey.getPublicKey()).equals(pqPublicKey)) {
        throw new IllegalStateException("Bouncy Castle's key is not the engine's ML-DSA key");
      }
    }

    /** Moves to the next digest and returns its index. */
    int next() {
      at = (at + 1) % DIGESTS;
      return at;
    }
  }

  // ------------------------------------------------------------ the engine

  @Benchmark
  public PreconfirmResult preconfirmSingleWithMlDsa(WithMlDsa s, Transactions txs) {
    return preconfirm(s, txs, 1);
  }

  @Benchmark
  public PreconfirmResult preconfirmSingleWithMlDsaNative(WithMlDsaNative s, Transactions txs) {
    return preconfirm(s, txs, 1);
  }

  @Benchmark
  public PreconfirmResult preconfirmSingleEcdsaOnly(EcdsaOnly s, Transactions txs) {
    return preconfirm(s, txs, 1);
  }

  @Benchmark
  public PreconfirmResult preconfirmBatch100WithMlDsa(WithMlDsa s, Transactions txs) {
    return preconfirm(s, txs, 100);
  }

  @Benchmark
  public PreconfirmResult preconfirmBatch100EcdsaOnlySerial(EcdsaOnlySerial s, Transactions txs) {
    return preconfirm(s, txs, 100);
  }

  @Benchmark
  public ValidationReport validateCold(Issued issued) {
    return accepted(issued.cold.validation.validate(issued.next(), null).await().indefinitely());
  }

  @Benchmark
  public ValidationReport validateColdNative(Issued issued) {
    return accepted(
        issued.coldNative.validation.validate(issued.next(), null).await().indefinitely());
  }

  @Benchmark
  public ValidationReport validateCachedRoot(Issued issued) {
    return accepted(issued.warm.validation.validate(issued.next(), null).await().indefinitely());
  }

  @Benchmark
  public ValidationReport validateCachedLeafOfRound(Rounds rounds) {
    return accepted(rounds.warm.validation.validate(rounds.next(), null).await().indefinitely());
  }

  // ------------------------------------------------------------ the crypto floor

  /** Walks the transaction pool for the decode benchmark. */
  @State(Scope.Thread)
  public static class Cursor {
    int at;
  }

  @Benchmark
  public DecodedTransaction cryptoDecodeAndRecoverSender(Transactions txs, Cursor cursor) {
    Bytes raw = txs.raw.get(cursor.at);
    cursor.at = (cursor.at + 1) % POOL;
    return TransactionDecoder.decode(raw).value();
  }

  @Benchmark
  public Bytes cryptoEcdsaSign(Crypto c) {
    return EngineFixture.PRECONFER.sign(c.digest[c.next()]);
  }

  @Benchmark
  public Bytes cryptoMlDsaSign(Crypto c) {
    return EngineFixture.PQ.sign(c.digest[c.next()]);
  }

  @Benchmark
  public Object cryptoEcdsaRecover(Crypto c) {
    int i = c.next();
    return EcdsaSignatures.recover(c.digest[i], c.signature[i]);
  }

  /** As validation checks a trusted key: its expanded form kept in its verifier. */
  @Benchmark
  public boolean cryptoMlDsaVerify(Crypto c) {
    int i = c.next();
    return c.pqVerifier.verify(c.digest[i], c.pqSignature[i]);
  }

  /** The same check expanding the public key first, as every call did before keys were kept. */
  @Benchmark
  public boolean cryptoMlDsaVerifyExpandingKey(Crypto c) {
    int i = c.next();
    return MlDsaSignatures.verify(c.pqPublicKey, c.digest[i], c.pqSignature[i]);
  }

  /** Bouncy Castle's signer, which expands the private key on every signature. */
  @Benchmark
  public byte[] cryptoMlDsaSignBouncyCastle(Crypto c) throws CryptoException {
    MLDSASigner signer = new MLDSASigner();
    signer.init(true, c.bouncyCastleKey);
    byte[] message = c.digest[c.next()].toArray();
    signer.update(message, 0, message.length);
    return signer.generateSignature();
  }

  /** Bouncy Castle's verifier, which expands the public key on every check. */
  @Benchmark
  public boolean cryptoMlDsaVerifyBouncyCastle(Crypto c) {
    int i = c.next();
    MLDSASigner verifier = new MLDSASigner();
    verifier.init(false, c.bouncyCastleKey.getPublicKeyParameters());
    byte[] message = c.digest[i].toArray();
    verifier.update(message, 0, message.length);
    return verifier.verifySignature(c.pqSignature[i].toArray());
  }

  @Benchmark
  public Hash32 cryptoKeccak256Of256Bytes(Crypto c) {
    return Keccak.hash(c.leafEncoding);
  }

  // ------------------------------------------------------------ the same floor on libsecp256k1

  /** The preconfer's key and the recovery on libsecp256k1 (JNI), beside Bouncy Castle's above. */
  @State(Scope.Benchmark)
  public static class Native {
    Secp256k1Backend backend;
    EcdsaSigner signer;

    @Setup
    public void setUp() {
      backend = load();
      signer = nativeSigner(backend);
    }

    static Secp256k1Backend load() {
      Secp256k1Backend backend = Secp256k1Backend.named("native");
      if (!backend.name().equals("native")) {
        throw new IllegalStateException("libsecp256k1 did not load: no native figures to take");
      }
      return backend;
    }
  }

  static EcdsaSigner nativeSigner(Secp256k1Backend backend) {
    return EcdsaSigner.fromPrivateKey(EngineFixture.hex(EngineFixture.PRECONFER_KEY), backend);
  }

  @Benchmark
  public DecodedTransaction cryptoDecodeAndRecoverSenderNative(
      Transactions txs, Cursor cursor, Native n) {
    Bytes raw = txs.raw.get(cursor.at);
    cursor.at = (cursor.at + 1) % POOL;
    return TransactionDecoder.decode(raw, n.backend).value();
  }

  @Benchmark
  public Bytes cryptoEcdsaSignNative(Crypto c, Native n) {
    return n.signer.sign(c.digest[c.next()]);
  }

  @Benchmark
  public Object cryptoEcdsaRecoverNative(Crypto c, Native n) {
    int i = c.next();
    return EcdsaSignatures.recover(c.digest[i], c.signature[i], n.backend);
  }

  private static PreconfirmResult preconfirm(EngineState s, Transactions txs, int n) {
    List<String> batch = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      batch.add(s.next(txs));
    }
    return promised(
        s.fixture
            .engine
            .preconfirm(new PreconfirmRequest(batch, false, null))
            .await()
            .indefinitely());
  }

  /** Fails the run when anything was refused: a benchmark of refusals would mislead. */
  static PreconfirmResult promised(PreconfirmResult r) {
    if (!r.rejected().isEmpty() || r.error() != null) {
      throw new IllegalStateException(
          "benchmark request was refused: "
              + (r.error() != null ? r.error() : r.rejected().get(0)));
    }
    return r;
  }

  /** Fails the run when a validation failed: the benchmark is of the accepting path. */
  static ValidationReport accepted(ValidationReport r) {
    if (!r.valid()) {
      throw new IllegalStateException("benchmark validation failed: " + r.errors());
    }
    return r;
  }
}
