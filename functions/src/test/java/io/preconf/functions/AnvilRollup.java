package io.preconf.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import io.preconf.infra.LocalNode;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.restassured.path.json.JsonPath;
import java.net.URL;
import java.util.List;
import java.util.Map;

/**
 * A rollup served beside the default ones whose blocks come from a real node (anvil, through
 * infra/scripts/nodes.sh) that the engine follows. The chain is new for every run ({@link
 * LocalNode#throwAway()}), so that the engine's recorded chain and the node's always begin
 * together; it is deleted afterwards. One-second blocks and one-second slots.
 */
public class AnvilRollup implements QuarkusTestResourceLifecycleManager {
  static final long SLOT_MS = 1_000;
  static final int DEPTH = 8;

  /**
   * Promises may target slots this far ahead: the tests promise for a slot minutes away, so that a
   * machine slowed by other builds never makes a promise late before the node mines it.
   */
  static final int LOOKAHEAD = 600;

  static final LocalNode node = LocalNode.throwAway();
  static final ChainId CHAIN = node.chain();

  /** Serves {@link #CHAIN}, followed at its node, with finality depth {@link #DEPTH}. */
  public static final class Profile implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(AnvilRollup.class));
    }
  }

  @Override
  public Map<String, String> start() {
    return config(node.ensureRunning());
  }

  /** Serves {@code node}'s chain as rollup 2, followed at the node, as this resource does. */
  static Map<String, String> config(LocalNode node) {
    return Map.of(
        "preconf.rollups[2].chain-id", Long.toString(node.chain().value()),
        "preconf.rollups[2].name", "anvil-test",
        "preconf.rollups[2].genesis-time-ms", Long.toString(FinalityChain.GENESIS_MS),
        "preconf.rollups[2].slot-duration-ms", Long.toString(SLOT_MS),
        "preconf.rollups[2].rpc-url", node.url().toString(),
        // These tests follow the chain; the senders' state checks, which a promise this far
        // ahead could not pass (its base fee may grow by an eighth per slot), are tested apart.
        "preconf.rollups[2].state-checks", "false",
        "preconf.rollups[2].lookahead-slots", Integer.toString(LOOKAHEAD),
        "preconf.finality.depth", Integer.toString(DEPTH),
        // A fresh application's first reads of a new lane and chain can take seconds on a
        // machine as busy as the shared development one; they are not what is tested here.
        "preconf.infra.postgres.timeout", "10s");
  }

  @Override
  public void stop() {
    node.wipe();
  }

  static long currentSlot() {
    return (System.currentTimeMillis() - FinalityChain.GENESIS_MS) / SLOT_MS;
  }

  /**
   * Promises {@code tx} on the rollup at {@code url} for a slot {@link #LOOKAHEAD}/2 ahead, so that
   * no wait of a test makes it late; gives the answer, which holds that one preconfirmation.
   */
  static JsonPath promiseAhead(URL url, Bytes tx) {
    JsonPath issued =
        FunctionCall.post(
            url,
            "preconfirm",
            Map.of(
                "transactions", List.of(tx.toHex()), "targetSlot", currentSlot() + LOOKAHEAD / 2));
    assertThat(issued.getList("preconfirmations")).as(issued.prettify()).hasSize(1);
    return issued;
  }
}
