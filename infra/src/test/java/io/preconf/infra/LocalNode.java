package io.preconf.infra;

import io.preconf.core.types.ChainId;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A real rollup node (anvil) run through {@code infra/scripts/nodes.sh}, for tests: either one of
 * the default rollups' nodes, which bin/test and bin/run start and which stay up, or a node of a
 * test's own (its own chain id and port) that the test may stop, freeze and restart.
 */
public record LocalNode(ChainId chain, int port, Map<String, String> env) {
  private static final Duration SCRIPT_LIMIT = Duration.ofSeconds(180);

  /** The node of the default rollup alpha (chain 167000), as the script's defaults have it. */
  public static LocalNode alpha() {
    return new LocalNode(ChainId.of(167000), 8545, Map.of());
  }

  /**
   * A node of a test's own, with one-second blocks unless PRECONF_NODE_BLOCK_TIME says otherwise.
   */
  public static LocalNode own(ChainId chain, int port) {
    return new LocalNode(chain, port, Map.of("PRECONF_NODES", chain.value() + ":" + port + ":1"));
  }

  /**
   * A node on a chain of its own that no run, test or checkout has used before (a random chain id
   * above 10^12, so no ledger has blocks of it either) and a free port: a test can stop, freeze and
   * restart it while others run. {@link #wipe()} it afterwards.
   */
  public static LocalNode throwAway() {
    ChainId chain =
        ChainId.of(1_000_000_000_000L + ThreadLocalRandom.current().nextLong(1_000_000_000_000L));
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return own(chain, s.getLocalPort());
    } catch (IOException e) {
      throw new IllegalStateException("no free port on loopback", e);
    }
  }

  /**
   * A {@link #throwAway()} node whose chain, log and markers live in {@code runDir} (a test's
   * temporary folder) rather than the repository's {@code .run}; the repository's pinned anvil is
   * used when installed there, else the script installs one into {@code runDir}.
   */
  public static LocalNode throwAwayIn(Path runDir) {
    LocalNode node = throwAway();
    Map<String, String> env = new HashMap<>(node.env());
    env.put("PRECONF_RUN_DIR", runDir.toString());
    Path pinned =
        Path.of("..", ".run", "anvil-1.7.1", "node_modules", "@foundry-rs", "anvil-linux-amd64")
            .resolve(Path.of("bin", "anvil"))
            .toAbsolutePath()
            .normalize();
    if (Files.isExecutable(pinned)) {
      env.put("PRECONF_ANVIL", pinned.toString());
    }
    return new LocalNode(node.chain(), node.port(), Map.copyOf(env));
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /**
   * Starts the node, or reuses it when it answers already; fails, saying how to start it by hand,
   * when it cannot run.
   */
  public LocalNode ensureRunning() {
    Scripts.Run run = nodes("start-node");
    if (run.exitCode() != 0) {
      throw new IllegalStateException(
          "the rollup node of chain "
              + chain
              + " is not running at "
              + url()
              + " and infra/scripts/nodes.sh could not start it (exit "
              + run.exitCode()
              + "); run `infra/scripts/nodes.sh start` (bin/test does) and see its output:\n"
              + run.output());
    }
    return this;
  }

  public void stop() {
    expectOk(nodes("stop-node"), "stop-node");
  }

  public void restart() {
    expectOk(nodes("restart-node"), "restart-node");
  }

  /** The node keeps its port open and answers nothing, as a hung node does. */
  public void freeze() {
    expectOk(nodes("freeze-node"), "freeze-node");
  }

  public void thaw() {
    expectOk(nodes("thaw-node"), "thaw-node");
  }

  /** Stops the node and deletes its chain: for a throw-away chain of a test's own. */
  public void wipe() {
    expectOk(nodes("wipe-node"), "wipe-node");
  }

  private Scripts.Run nodes(String command) {
    return Scripts.run("nodes.sh", env, SCRIPT_LIMIT, command, Long.toString(chain.value()));
  }

  private void expectOk(Scripts.Run run, String command) {
    if (run.exitCode() != 0) {
      throw new IllegalStateException(
          "nodes.sh "
              + command
              + " "
              + chain
              + " exited with "
              + run.exitCode()
              + ":\n"
              + run.output());
    }
  }
}
