package io.preconf.functions;

import io.preconf.core.types.ChainId;
import io.preconf.infra.LocalNode;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Two rollups served beside the default ones, each followed at a real node of its own (anvil, a
 * chain new for every run, deleted afterwards), for promises whose legs span both: an atomic
 * bundle. One-second blocks and slots, as {@link AnvilRollup}.
 */
public class TwoAnvilRollups implements QuarkusTestResourceLifecycleManager {
  static final LocalNode first = LocalNode.throwAway();
  static final LocalNode second = LocalNode.throwAway();

  public static final class Profile implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(TwoAnvilRollups.class));
    }
  }

  @Override
  public Map<String, String> start() {
    Map<String, String> config = new HashMap<>();
    int i = 2;
    for (LocalNode node : List.of(first.ensureRunning(), second.ensureRunning())) {
      String rollup = "preconf.rollups[" + i++ + "].";
      ChainId chain = node.chain();
      config.put(rollup + "chain-id", Long.toString(chain.value()));
      config.put(rollup + "name", "anvil-" + chain.value());
      config.put(rollup + "genesis-time-ms", Long.toString(FinalityChain.GENESIS_MS));
      config.put(rollup + "slot-duration-ms", Long.toString(AnvilRollup.SLOT_MS));
      config.put(rollup + "rpc-url", node.url().toString());
      // The test sends the legs itself; the senders' state checks are tested apart.
      config.put(rollup + "state-checks", "false");
      config.put(rollup + "lookahead-slots", Integer.toString(AnvilRollup.LOOKAHEAD));
    }
    config.put("preconf.finality.depth", Integer.toString(AnvilRollup.DEPTH));
    config.put("preconf.infra.postgres.timeout", "10s");
    return config;
  }

  @Override
  public void stop() {
    first.wipe();
    second.wipe();
  }
}
