package io.preconf.functions;

import io.preconf.core.types.ChainId;
import io.preconf.infra.LocalNode;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * A rollup served beside the default ones whose senders are checked on its real node (anvil,
 * through infra/scripts/nodes.sh, a chain of its own for every run, deleted afterwards), as the
 * configuration does by default for a rollup with a node URL. Its slots are the node's seconds.
 */
public class CheckedAnvilRollup implements QuarkusTestResourceLifecycleManager {
  static final LocalNode node = LocalNode.throwAway();
  static final ChainId CHAIN = node.chain();

  public static final class Profile implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(CheckedAnvilRollup.class));
    }
  }

  @Override
  public Map<String, String> start() {
    node.ensureRunning();
    return Map.of(
        "preconf.rollups[2].chain-id", Long.toString(CHAIN.value()),
        "preconf.rollups[2].name", "anvil-checked",
        "preconf.rollups[2].genesis-time-ms", "0",
        "preconf.rollups[2].slot-duration-ms", "1000",
        "preconf.rollups[2].rpc-url", node.url().toString(),
        "preconf.infra.postgres.timeout", "10s");
  }

  @Override
  public void stop() {
    node.wipe();
  }
}
