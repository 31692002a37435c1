package io.preconf.functions;

import io.preconf.core.types.ChainId;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.security.SecureRandom;
import java.util.Map;

/**
 * A rollup only the edge tests use, under a chain id of this run's own, so that the lane sequences
 * they count and the blocks they send are theirs alone, whoever else shares the servers and
 * whatever an earlier run recorded: its first block is the chain's first.
 */
public final class EdgeChain implements QuarkusTestProfile {
  // Quarkus loads this class once for the profile and once for the tests: one id per JVM.
  static final ChainId CHAIN =
      ChainId.of(
          Long.parseLong(
              System.getProperties()
                  .computeIfAbsent(
                      "edge-test-chain-id",
                      k -> Long.toString(170_000_000L + new SecureRandom().nextInt(100_000_000)))
                  .toString()));
  static final long GENESIS_MS = 1_735_689_600_000L;
  static final long SLOT_MS = 12_000;
  static final long MAX_AHEAD = 1_000;

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "preconf.rollups[2].chain-id", Long.toString(CHAIN.value()),
        "preconf.rollups[2].name", "edge-test",
        "preconf.rollups[2].genesis-time-ms", Long.toString(GENESIS_MS),
        "preconf.rollups[2].slot-duration-ms", Long.toString(SLOT_MS),
        "preconf.finality.max-ahead", Long.toString(MAX_AHEAD),
        // A shared machine under other builds: a first write may be slow, and is not tested here.
        "preconf.infra.postgres.timeout", "15s");
  }

  static long currentSlot() {
    return (System.currentTimeMillis() - GENESIS_MS) / SLOT_MS;
  }
}
