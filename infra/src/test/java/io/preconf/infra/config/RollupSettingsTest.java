package io.preconf.infra.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.preconf.core.rollup.RollupConfig;
import io.preconf.core.types.ChainId;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.math.BigInteger;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RollupSettingsTest {

  private static RollupSettings read(
      Map<String, String> properties, Map<String, String> environment) {
    return RollupSettings.read(
        new SmallRyeConfigBuilder()
            .withSources(
                new PropertiesConfigSource(properties, "test", 100),
                new EnvConfigSource(environment, 300))
            .withMapping(RollupSettings.Properties.class)
            .build()
            .getConfigMapping(RollupSettings.Properties.class));
  }

  private static RollupSettings read(Map<String, String> properties) {
    return read(properties, Map.of());
  }

  /** Rollup 0 with its three required settings, and one more setting {@code key} of it. */
  private static RollupSettings readOneRollupWith(String key, String value) {
    return read(
        Map.of(
            "preconf.rollups[0].chain-id",
            "1",
            "preconf.rollups[0].name",
            "a",
            "preconf.rollups[0].genesis-time-ms",
            "0",
            "preconf.rollups[0]." + key,
            value));
  }

  private static List<RollupConfig> rollups(RollupSettings settings) {
    return List.copyOf(settings.rollups().all());
  }

  @Test
  void readsIndexedRollupsAndFillsTheDefaults() {
    RollupSettings s =
        read(
            Map.ofEntries(
                Map.entry("preconf.rollups[0].chain-id", "167000"),
                Map.entry("preconf.rollups[0].name", "alpha"),
                Map.entry("preconf.rollups[0].genesis-time-ms", "1735689600000"),
                Map.entry("preconf.rollups[0].slot-duration-ms", "12000"),
                Map.entry("preconf.rollups[0].min-priority-fee-wei", "7"),
                Map.entry("preconf.rollups[0].rpc-url", "http://127.0.0.1:8545/"),
                Map.entry("preconf.rollups[1].chain-id", "167001"),
                Map.entry("preconf.rollups[1].name", "beta"),
                Map.entry("preconf.rollups[1].genesis-time-ms", "0"),
                Map.entry("preconf.rollups[2].chain-id", "167002"),
                Map.entry("preconf.rollups[2].name", "cancun"),
                Map.entry("preconf.rollups[2].genesis-time-ms", "0"),
                Map.entry("preconf.rollups[2].prague", "false")));

    assertThat(rollups(s))
        .containsExactly(
            RollupConfig.builder(ChainId.of(167000), "alpha", 1735689600000L)
                .slotDurationMs(12000)
                .minPriorityFeeWei(BigInteger.valueOf(7))
                .build(),
            new RollupConfig(
                ChainId.of(167001),
                "beta",
                0,
                2_000,
                30_000_000,
                BigInteger.valueOf(1_000_000),
                1_000,
                300_000_000,
                32,
                true,
                2_000),
            RollupConfig.builder(ChainId.of(167002), "cancun", 0).prague(false).build());
    assertThat(s.rpcUrls())
        .containsExactly(Map.entry(ChainId.of(167000), URI.create("http://127.0.0.1:8545/")));
  }

  @Test
  void theJsonListReplacesTheIndexedRollupsAndIgnoresFieldsItDoesNotTake() {
    RollupSettings s =
        read(
            Map.of(
                "preconf.rollups[0].chain-id", "167000",
                "preconf.rollups[0].name", "alpha",
                "preconf.rollups[0].genesis-time-ms", "0",
                "preconf.rollups-json",
                    "[{\"chainId\":10,\"name\":\"optimism\",\"genesisTimeMs\":1686068903000,"
                        + "\"lookaheadSlots\":64,\"minPriorityFeeWei\":\"1000\",\"currentSlot\":5,"
                        + "\"prague\":false,\"rpcUrl\":\"http://node:8545\"}]"));

    assertThat(rollups(s))
        .containsExactly(
            RollupConfig.builder(ChainId.of(10), "optimism", 1686068903000L)
                .lookaheadSlots(64)
                .minPriorityFeeWei(BigInteger.valueOf(1000))
                .prague(false)
                .build());
    assertThat(s.rpcUrls()).containsEntry(ChainId.of(10), URI.create("http://node:8545"));
  }

  @Test
  void environmentVariablesSetIndexedRollups() {
    RollupSettings s =
        read(
            Map.of(),
            Map.of(
                "PRECONF_ROLLUPS_0__CHAIN_ID", "5",
                "PRECONF_ROLLUPS_0__NAME", "env",
                "PRECONF_ROLLUPS_0__GENESIS_TIME_MS", "9",
                "PRECONF_ROLLUPS_0__MAX_GAS_PER_SLOT", "123"));

    assertThat(rollups(s))
        .containsExactly(RollupConfig.builder(ChainId.of(5), "env", 9).maxGasPerSlot(123).build());
  }

  @Test
  void aSettingThatIsNoRollupSettingIsRefusedByName() {
    assertThatThrownBy(() -> readOneRollupWith("slot-durations-ms", "2000"))
        .hasMessageStartingWith(
            "preconf.rollups[0].slot-durations-ms is not a rollup setting; the settings are [")
        .hasMessageContaining("slot-duration-ms");
  }

  @Test
  void aMissingOrUnreadableSettingIsNamedWithItsValue() {
    assertThatThrownBy(
            () ->
                read(
                    Map.of(
                        "preconf.rollups[0].chain-id", "1",
                        "preconf.rollups[0].genesis-time-ms", "0")))
        .hasMessage("preconf.rollups[0].name is missing");
    assertThatThrownBy(
            () ->
                read(
                    Map.of(
                        "preconf.rollups-json",
                        "[{\"chainId\":1,\"name\":\"a\",\"genesisTimeMs\":0,"
                            + "\"slotDurationMs\":\"soon\"}]")))
        .hasMessageStartingWith("preconf.rollups-json[0].slotDurationMs is not valid: \"soon\"");
    assertThatThrownBy(() -> readOneRollupWith("prague", "yes"))
        .hasMessageStartingWith("preconf.rollups[0].prague is not valid: \"yes\"");
    assertThatThrownBy(() -> read(Map.of("preconf.rollups-json", "{\"chainId\":1}")))
        .hasMessageStartingWith("preconf.rollups-json must be a JSON list of rollups");
  }

  @Test
  void sendersAreCheckedOnTheNodeOfEachRollupWithOneUnlessTurnedOff() {
    RollupSettings s =
        read(
            Map.of(
                "preconf.rollups-json",
                "[{\"chainId\":1,\"name\":\"a\",\"genesisTimeMs\":0,\"rpcUrl\":\"http://a:8545\"},"
                    + "{\"chainId\":2,\"name\":\"b\",\"genesisTimeMs\":0,\"rpcUrl\":\"http://b:8545\","
                    + "\"stateChecks\":false},"
                    + "{\"chainId\":3,\"name\":\"c\",\"genesisTimeMs\":0}]"));

    assertThat(s.stateChecked()).containsExactly(ChainId.of(1));
    assertThat(s.rpcUrls()).containsOnlyKeys(ChainId.of(1), ChainId.of(2));
  }

  @Test
  void stateChecksWithoutANodeAreRefusedNamingBothSettings() {
    assertThatThrownBy(() -> readOneRollupWith("state-checks", "true"))
        .hasMessage(
            "preconf.rollups[0].state-checks is true but the rollup has no node to check senders"
                + " on: set preconf.rollups[0].rpc-url");
  }

  @Test
  void noRollupAtAllIsRefused() {
    assertThatThrownBy(() -> read(Map.of())).hasMessageStartingWith("no rollup is configured");
  }

  @Test
  void aChainConfiguredTwiceIsRefused() {
    assertThatThrownBy(
            () ->
                read(
                    Map.of(
                        "preconf.rollups-json",
                        "[{\"chainId\":1,\"name\":\"a\",\"genesisTimeMs\":0},"
                            + "{\"chainId\":1,\"name\":\"b\",\"genesisTimeMs\":0}]")))
        .hasMessage("rollup chain id 1 is configured twice");
  }
}
