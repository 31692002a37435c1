package io.preconf.functions.config;

import io.preconf.core.crypto.Secp256k1Backend;
import io.preconf.core.engine.EngineConfig;
import io.preconf.core.engine.PreconferInfo;
import io.preconf.core.engine.PreconfirmationEngine;
import io.preconf.core.engine.RoundLimits;
import io.preconf.core.engine.SenderStates;
import io.preconf.core.engine.Signers;
import io.preconf.core.limits.SenderLimitedLanes;
import io.preconf.core.metrics.EngineCounters;
import io.preconf.core.node.RollupNode;
import io.preconf.core.port.Clock;
import io.preconf.core.port.FeedPublisher;
import io.preconf.core.port.LaneSequencer;
import io.preconf.core.port.PreconfirmationStore;
import io.preconf.core.port.RateLimit;
import io.preconf.core.port.RateLimiter;
import io.preconf.core.port.StatusQuery;
import io.preconf.core.pull.LaneEntries;
import io.preconf.core.pull.LanePull;
import io.preconf.core.rollup.Rollups;
import io.preconf.core.status.StatusLookup;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import io.preconf.core.validation.TrustedSigner;
import io.preconf.core.validation.Validation;
import io.preconf.functions.rpc.RollupNodes;
import io.preconf.infra.config.RollupSettings;
import io.preconf.infra.rpc.JsonRpcClient;
import io.preconf.infra.rpc.JsonRpcRollupNode;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the core's use cases from configuration and the infra adapters. */
@ApplicationScoped
public class EngineProducer {

  @Produces
  @Singleton
  EngineCounters counters() {
    return new EngineCounters();
  }

  @Produces
  @Singleton
  RollupSettings rollupSettings(RollupSettings.Properties properties) {
    return RollupSettings.read(properties);
  }

  @Produces
  @Singleton
  Rollups rollups(RollupSettings settings) {
    return settings.rollups();
  }

  @Produces
  @Singleton
  EngineConfig engineConfig(PreconfConfig config) {
    PreconfConfig.Engine e = config.engine();
    return new EngineConfig(
        e.maxTransactionBytes(),
        EngineConfig.EIP_3860_MAX_INIT_CODE_BYTES,
        e.maxTransactionsPerRequest(),
        e.ttl(),
        e.preconfirmationTimeout(),
        e.validationTimeout(),
        e.mevProtection(),
        e.quantumSignatures(),
        e.requireQuantumSignature(),
        e.parallelProcessing(),
        e.verifiedRootCacheSize());
  }

  /** libsecp256k1 unless configured otherwise or unable to load here (then Bouncy Castle). */
  @Produces
  @Singleton
  Secp256k1Backend secp256k1(PreconfConfig config) {
    return Secp256k1Backend.named(config.engine().secp256k1Backend());
  }

  /**
   * Loaded at start, not at the first request: a process with no usable key (none configured, a
   * malformed one, a missing ML-DSA seed) stops at once with the setting to fix, instead of
   * starting and answering every request with an internal error.
   */
  @Produces
  @Singleton
  @Startup
  Signers signers(PreconfConfig config, Secp256k1Backend secp256k1) {
    return SignerKeys.load(config.signer(), config.engine().quantumSignatures(), secp256k1);
  }

  @Produces
  @Singleton
  Clock clock() {
    return Clock.SYSTEM;
  }

  /** A node client for each rollup whose senders are checked before a promise. */
  @Produces
  @Singleton
  SenderStates senderStates(PreconfConfig config, RollupSettings settings, Clock clock) {
    PreconfConfig.Engine e = config.engine();
    if (!settings.stateChecked().isEmpty()
        && e.nodeTimeout().compareTo(e.preconfirmationTimeout()) >= 0) {
      throw new IllegalStateException(
          "preconf.engine.node-timeout ("
              + e.nodeTimeout()
              + ") must be shorter than preconf.engine.preconfirmation-timeout ("
              + e.preconfirmationTimeout()
              + "), so that a node too slow to check senders on is named in the refusal");
    }
    Map<ChainId, RollupNode> nodes = new LinkedHashMap<>();
    for (ChainId chain : settings.stateChecked()) {
      nodes.put(chain, node(settings, chain, e.nodeTimeout()));
    }
    return new SenderStates(nodes, e.senderStateReuse(), clock);
  }

  @Produces
  @Singleton
  PreconfirmationEngine engine(
      PreconfConfig settings,
      EngineConfig config,
      Rollups rollups,
      Signers signers,
      LaneSequencer lanes,
      PreconfirmationStore store,
      FeedPublisher feed,
      Clock clock,
      SenderStates senders,
      EngineCounters counters,
      Secp256k1Backend secp256k1,
      RateLimiter limiter) {
    PreconfConfig.Engine e = settings.engine();
    PreconfConfig.Limits limits = settings.limits();
    LaneSequencer claimed =
        limits.enabled()
            ? new SenderLimitedLanes(
                lanes,
                limiter,
                new RateLimit(
                    "preconf.limits.sender-max",
                    limits.senderMax(),
                    limits.senderWindow(),
                    "transactions"))
            : lanes;
    return new PreconfirmationEngine(
        config,
        new RoundLimits(e.roundMaxRequests(), e.roundMaxTransactions(), e.maxWaitingRequests()),
        rollups,
        signers,
        new PreconfirmationEngine.Ports(claimed, store, feed, clock, senders),
        Infrastructure.getDefaultWorkerPool(),
        counters,
        secp256k1);
  }

  @Produces
  @Singleton
  Validation validation(
      PreconfConfig config,
      EngineConfig engineConfig,
      Signers signers,
      Clock clock,
      EngineCounters counters,
      Secp256k1Backend secp256k1) {
    List<TrustedSigner> trusted = new ArrayList<>();
    for (PreconfConfig.Trusted t : config.trustedSigners()) {
      trusted.add(
          new TrustedSigner(
              Address.fromHex("preconf.trusted-signers.address", t.address()),
              t.pqPublicKey()
                  .map(k -> Bytes.fromHex("preconf.trusted-signers.pq-public-key", k))
                  .orElse(null)));
    }
    return new Validation(
        engineConfig,
        signers,
        trusted,
        clock,
        Infrastructure.getDefaultWorkerPool(),
        counters,
        secp256k1);
  }

  @Produces
  @Singleton
  StatusLookup statusLookup(Rollups rollups, StatusQuery statuses, Clock clock) {
    return new StatusLookup(rollups, statuses, clock);
  }

  @Produces
  @Singleton
  LanePull lanePull(Rollups rollups, LaneEntries entries) {
    return new LanePull(rollups, entries);
  }

  @Produces
  @Singleton
  PreconferInfo preconferInfo(EngineConfig config, Signers signers, Rollups rollups) {
    return PreconferInfo.of(config, signers, rollups);
  }

  /** A node client per rollup with an {@code rpc-url}, for the JSON-RPC front door's reads. */
  @Produces
  @Singleton
  RollupNodes rollupNodes(RollupSettings settings, PreconfConfig config) {
    Map<ChainId, RollupNode> nodes = new LinkedHashMap<>();
    settings
        .rpcUrls()
        .keySet()
        .forEach(chain -> nodes.put(chain, node(settings, chain, config.engine().nodeTimeout())));
    return new RollupNodes(nodes);
  }

  private static RollupNode node(RollupSettings settings, ChainId chain, Duration timeout) {
    return new JsonRpcRollupNode(
        JsonRpcClient.forRollupNode(settings.rpcUrls().get(chain), chain.value(), timeout));
  }
}
