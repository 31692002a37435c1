package io.preconf.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.crypto.EcdsaSigner;
import io.preconf.core.crypto.MlDsaSigner;
import io.preconf.core.engine.EngineConfig;
import io.preconf.core.engine.PreconfirmRequest;
import io.preconf.core.engine.PreconfirmResult;
import io.preconf.core.engine.PreconfirmationEngine;
import io.preconf.core.engine.Signers;
import io.preconf.core.metrics.EngineCounters;
import io.preconf.core.port.Clock;
import io.preconf.core.port.FeedPublisher;
import io.preconf.core.port.LaneSequencer;
import io.preconf.core.port.PreconfirmationStore;
import io.preconf.core.rollup.RollupConfig;
import io.preconf.core.rollup.Rollups;
import io.preconf.core.tx.TransactionBuilder;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The engine as the functions build it, over the same infra adapters the feed reads: what it
 * preconfirms lands in the lanes' Redis logs and in PostgreSQL, exactly as in production.
 */
final class TestEngine {
  static final Duration AWAIT = Duration.ofSeconds(60);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final PreconfirmationEngine engine;

  TestEngine(
      List<ChainId> chains, LaneSequencer lanes, PreconfirmationStore store, FeedPublisher feed) {
    this(chains, lanes, store, feed, EngineConfig.defaults());
  }

  TestEngine(
      List<ChainId> chains,
      LaneSequencer lanes,
      PreconfirmationStore store,
      FeedPublisher feed,
      EngineConfig config) {
    List<RollupConfig> rollups = new ArrayList<>();
    for (ChainId chain : chains) {
      rollups.add(
          RollupConfig.builder(chain, "test-" + chain, 0)
              .maxPreconfirmationsPerSlot(1_000_000)
              .maxGasPerSlot(1_000_000_000_000L)
              .build());
    }
    Signers signers =
        Signers.signing(
            EcdsaSigner.fromPrivateKey(randomKey()), MlDsaSigner.fromSeed(Bytes.wrap(bytes(32))));
    engine =
        new PreconfirmationEngine(
            config,
            Rollups.of(rollups),
            signers,
            new PreconfirmationEngine.Ports(lanes, store, feed, Clock.SYSTEM),
            Infrastructure.getDefaultWorkerPool(),
            new EngineCounters());
  }

  static EcdsaSigner randomSender() {
    return EcdsaSigner.fromPrivateKey(randomKey());
  }

  static String transfer(ChainId chain, EcdsaSigner sender, long nonce) {
    return TransactionBuilder.on(chain)
        .nonce(nonce)
        .to(Address.fromHex("0x00000000000000000000000000000000000000aa"))
        .value(BigInteger.ONE)
        .sign(sender)
        .toHex();
  }

  /** Preconfirms the transactions (not atomic); every one must be issued. */
  List<Preconfirmation> preconfirm(List<String> txs) {
    PreconfirmResult r =
        engine.preconfirm(new PreconfirmRequest(txs, false, null)).await().atMost(AWAIT);
    assertThat(r.error()).as("request error").isNull();
    assertThat(r.rejected()).as("rejected").isEmpty();
    assertThat(r.preconfirmations()).hasSize(txs.size());
    return r.preconfirmations();
  }

  /** {@code n} transfers from fresh senders on {@code chain}, in one request. */
  List<Preconfirmation> issue(ChainId chain, int n) {
    List<String> txs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      txs.add(transfer(chain, randomSender(), 0));
    }
    return preconfirm(txs);
  }

  private static Bytes randomKey() {
    byte[] k = bytes(32);
    k[0] &= 0x7f;
    k[31] |= 1;
    return Bytes.wrap(k);
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }
}
