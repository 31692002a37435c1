package io.preconf.core.testing;

import io.preconf.core.crypto.EcdsaSigner;
import io.preconf.core.crypto.MlDsaSigner;
import io.preconf.core.crypto.Secp256k1Backend;
import io.preconf.core.engine.EngineConfig;
import io.preconf.core.engine.PreconfirmRequest;
import io.preconf.core.engine.PreconfirmResult;
import io.preconf.core.engine.PreconfirmationEngine;
import io.preconf.core.engine.Signers;
import io.preconf.core.metrics.EngineCounters;
import io.preconf.core.port.LaneSequencer;
import io.preconf.core.rollup.RollupConfig;
import io.preconf.core.rollup.Rollups;
import io.preconf.core.tx.TransactionBuilder;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import io.preconf.core.validation.TrustedSigner;
import io.preconf.core.validation.Validation;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import java.math.BigInteger;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * An engine and a validation on two rollups with in-memory ports, for the core's tests and
 * benchmarks.
 */
public final class EngineFixture {
  public static final ChainId ALPHA = ChainId.of(167000);
  public static final ChainId BETA = ChainId.of(167001);
  public static final long START = 1_764_000_000_000L;
  public static final long SLOT_MS = 2_000;

  /** Well-known development keys; never fund them. */
  public static final String PRECONFER_KEY =
      "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";

  public static final EcdsaSigner PRECONFER = EcdsaSigner.fromPrivateKey(hex(PRECONFER_KEY));

  public static final MlDsaSigner PQ =
      MlDsaSigner.fromSeed(
          hex("0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"));

  public final ManualClock clock = new ManualClock(START);
  public final InMemoryLanes lanes = new InMemoryLanes(clock::nowMillis);
  public final InMemoryStore store = new InMemoryStore();
  public final EngineCounters counters = new EngineCounters();
  public final PreconfirmationEngine engine;
  public final Validation validation;

  public EngineFixture() {
    this(EngineConfig.defaults(), Runnable::run);
  }

  public EngineFixture(EngineConfig config, Executor cpu) {
    this(config, cpu, List.of());
  }

  public EngineFixture(EngineConfig config, Executor cpu, List<TrustedSigner> trusted) {
    this(config, cpu, trusted, rollups());
  }

  public EngineFixture(
      EngineConfig config, Executor cpu, List<TrustedSigner> trusted, Rollups rollups) {
    this(config, cpu, trusted, rollups, Secp256k1Backend.bouncyCastle());
  }

  /** An engine whose signing, sender recovery and signature checks all run on {@code secp256k1}. */
  public EngineFixture(
      EngineConfig config,
      Executor cpu,
      List<TrustedSigner> trusted,
      Rollups rollups,
      Secp256k1Backend secp256k1) {
    EcdsaSigner preconfer =
        secp256k1.name().equals(Secp256k1Backend.bouncyCastle().name())
            ? PRECONFER
            : EcdsaSigner.fromPrivateKey(hex(PRECONFER_KEY), secp256k1);
    Signers signers = Signers.signing(preconfer, PQ);
    this.engine =
        new PreconfirmationEngine(
            config,
            rollups,
            signers,
            new PreconfirmationEngine.Ports(lanes, store, store, clock),
            cpu,
            counters,
            secp256k1);
    this.validation = new Validation(config, signers, trusted, clock, cpu, counters, secp256k1);
  }

  /**
   * Another engine on this fixture's store, clock and counters, with {@code lanes} in front of
   * {@link #lanes} (to hold back or fail some of its calls) and {@code config}.
   */
  public PreconfirmationEngine engineOver(LaneSequencer lanes, EngineConfig config) {
    return engineOn(new PreconfirmationEngine.Ports(lanes, store, store, clock), config);
  }

  /** Another engine on this fixture's counters and keys, working through {@code ports}. */
  public PreconfirmationEngine engineOn(PreconfirmationEngine.Ports ports, EngineConfig config) {
    return new PreconfirmationEngine(
        config, rollups(), Signers.signing(PRECONFER, PQ), ports, Runnable::run, counters);
  }

  public static Rollups rollups() {
    return Rollups.of(
        List.of(
            rollup(ALPHA, "alpha", 1_000, 30_000_000), rollup(BETA, "beta", 1_000, 30_000_000)));
  }

  public static RollupConfig rollup(ChainId id, String name, int perSlot, long gasPerSlot) {
    return RollupConfig.builder(id, name, START - 1_000 * SLOT_MS)
        .slotDurationMs(SLOT_MS)
        .maxPreconfirmationsPerSlot(perSlot)
        .maxGasPerSlot(gasPerSlot)
        .build();
  }

  /** A sender key derived from {@code n}, so tests can have many distinct senders. */
  public static EcdsaSigner sender(int n) {
    byte[] key = new byte[32];
    key[0] = 0x11;
    key[28] = (byte) (n >>> 24);
    key[29] = (byte) (n >>> 16);
    key[30] = (byte) (n >>> 8);
    key[31] = (byte) n;
    return EcdsaSigner.fromPrivateKey(Bytes.wrap(key));
  }

  /** A signed EIP-1559 transfer from sender {@code n} on {@code chain}. */
  public static String transfer(ChainId chain, int n, long nonce) {
    return TransactionBuilder.on(chain)
        .nonce(nonce)
        .to(Address.fromHex("0x00000000000000000000000000000000000000aa"))
        .value(BigInteger.ONE)
        .sign(sender(n))
        .toHex();
  }

  /** A preconfirm call of {@code engine}, subscribed to now; its answer is awaited later. */
  public static UniAssertSubscriber<PreconfirmResult> send(
      PreconfirmationEngine engine, boolean atomic, String... txs) {
    return engine
        .preconfirm(new PreconfirmRequest(List.of(txs), atomic, null))
        .subscribe()
        .withSubscriber(UniAssertSubscriber.create());
  }

  /** The item {@code uni} completes with, awaited on this thread. */
  public static <T> T await(Uni<T> uni) {
    return uni.subscribe().withSubscriber(UniAssertSubscriber.create()).awaitItem().getItem();
  }

  public static Bytes hex(String hex) {
    return Bytes.fromHex("test key", hex);
  }
}
