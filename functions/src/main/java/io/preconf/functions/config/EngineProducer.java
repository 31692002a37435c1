package io.preconf.functions.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.preconf.core.crypto.Secp256k1Backend;
import io.preconf.core.engine.EngineConfig;
import io.preconf.core.engine.PreconfirmationEngine;
import io.preconf.core.engine.Signers;
import io.preconf.core.engine.TrustedSigner;
import io.preconf.core.metrics.EngineCounters;
import io.preconf.core.port.Clock;
import io.preconf.core.port.FeedPublisher;
import io.preconf.core.port.LaneSequencer;
import io.preconf.core.port.PreconfirmationStore;
import io.preconf.core.rollup.RollupConfig;
import io.preconf.core.rollup.Rollups;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/** Builds the engine from configuration and the infra adapters. */
@ApplicationScoped
public class EngineProducer {

  @Produces
  @Singleton
  EngineCounters counters() {
    return new EngineCounters();
  }

  @Produces
  @Singleton
  Rollups rollups(PreconfConfig config, ObjectMapper json) {
    List<RollupConfig> rollups = new ArrayList<>();
    if (config.rollupsJson().isPresent() && !config.rollupsJson().get().isBlank()) {
      rollups.addAll(parseRollups(config.rollupsJson().get(), json));
    } else {
      for (PreconfConfig.Rollup r : config.rollups()) {
        rollups.add(
            new RollupConfig(
                ChainId.of(r.chainId()),
                r.name(),
                r.genesisTimeMs(),
                r.slotDurationMs(),
                r.gasLimit(),
                r.minPriorityFeeWei(),
                r.maxPreconfirmationsPerSlot(),
                r.maxGasPerSlot(),
                r.lookaheadSlots(),
                r.prague()));
      }
    }
    return Rollups.of(rollups);
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

  @Produces
  @Singleton
  Signers signers(PreconfConfig config, Secp256k1Backend secp256k1) {
    return SignerKeys.load(config.signer(), config.engine().quantumSignatures(), secp256k1);
  }

  @Produces
  @Singleton
  Clock clock() {
    return Clock.SYSTEM;
  }

  @Produces
  @Singleton
  PreconfirmationEngine engine(
      PreconfConfig config,
      EngineConfig engineConfig,
      Rollups rollups,
      Signers signers,
      LaneSequencer lanes,
      PreconfirmationStore store,
      FeedPublisher feed,
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
    return new PreconfirmationEngine(
        engineConfig,
        rollups,
        signers,
        trusted,
        new PreconfirmationEngine.Ports(lanes, store, feed, clock),
        Infrastructure.getDefaultWorkerPool(),
        counters,
        secp256k1);
  }

  private static List<RollupConfig> parseRollups(String text, ObjectMapper json) {
    JsonNode list;
    try {
      list = json.readTree(text);
    } catch (IOException e) {
      throw new IllegalStateException(
          "preconf.rollups-json is not valid JSON: " + e.getMessage(), e);
    }
    if (!list.isArray()) {
      throw new IllegalStateException("preconf.rollups-json must be a JSON list of rollups");
    }
    List<RollupConfig> out = new ArrayList<>();
    for (JsonNode r : list) {
      out.add(
          new RollupConfig(
              ChainId.of(required(r, "chainId").asLong()),
              required(r, "name").asText(),
              required(r, "genesisTimeMs").asLong(),
              r.path("slotDurationMs").asLong(2_000),
              r.path("gasLimit").asLong(30_000_000),
              new BigInteger(r.path("minPriorityFeeWei").asText("1000000")),
              r.path("maxPreconfirmationsPerSlot").asInt(1_000),
              r.path("maxGasPerSlot").asLong(300_000_000),
              r.path("lookaheadSlots").asInt(32),
              r.path("prague").asBoolean(true)));
    }
    return out;
  }

  private static JsonNode required(JsonNode rollup, String field) {
    JsonNode v = rollup.get(field);
    if (v == null || v.isNull()) {
      throw new IllegalStateException(
          "preconf.rollups-json: a rollup lacks \"" + field + "\": " + rollup);
    }
    return v;
  }
}
