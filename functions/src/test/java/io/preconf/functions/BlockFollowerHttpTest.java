package io.preconf.functions;

import static io.preconf.functions.FinalityChain.blockSlot;
import static io.preconf.functions.FinalityChain.currentSlot;
import static io.preconf.functions.FinalityChain.freshHeight;
import static io.preconf.functions.FinalityChain.randomHash;
import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.types.ChainId;
import io.preconf.infra.LocalServers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.net.URL;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With a rollup's JSON-RPC URL configured, the engine follows the chain by itself: nobody calls
 * reconcile, and statuses still move, through a reorg too.
 */
@QuarkusTest
@TestProfile(FinalityChain.FollowedProfile.class)
@QuarkusTestResource(LocalServers.class)
class BlockFollowerHttpTest {
  private static final ChainId CHAIN = FinalityChain.FollowedProfile.CHAIN;

  @TestHTTPResource("/")
  URL url;

  private JsonPath call(String function, Object body) {
    return FunctionCall.post(url, function, body);
  }

  private JsonPath awaitStatus(String tx, String status) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 20_000;
    JsonPath s;
    do {
      s = call("status", Map.of("chainId", CHAIN.value(), "txHash", tx));
      if (status.equals(s.getString("status"))) {
        return s;
      }
      Thread.sleep(100);
    } while (System.currentTimeMillis() < deadline);
    throw new AssertionError(
        "status of " + tx + " stayed " + s.getString("status") + ", not " + status);
  }

  @Test
  void theFollowerReconcilesTheNodesBlocksAndFollowsItThroughAReorg() throws Exception {
    JsonPath issued =
        call(
            "preconfirm",
            Map.of(
                "transactions",
                List.of(Txs.transfer(CHAIN)),
                "targetSlot",
                currentSlot() + FinalityChain.FollowedProfile.LOOKAHEAD / 2));
    assertThat(issued.getList("preconfirmations")).as(issued.prettify()).hasSize(1);
    String tx = issued.getString("preconfirmations[0].txHash");
    long n = freshHeight();
    String base = randomHash();
    String first = randomHash();
    FakeRollupNode.put(n, base, randomHash(), blockSlot());
    Thread.sleep(2 * FinalityChain.SLOT_MS); // the follower starts at the node's newest block
    FakeRollupNode.put(n + 1, first, base, blockSlot(), randomHash(), tx);

    JsonPath s = awaitStatus(tx, "INCLUDED");
    assertThat(s.getString("finality.blockHash")).isEqualTo(first);

    // The node switches branches: block n+1 is replaced, and the new branch grows past it.
    String replacement = randomHash();
    String next = randomHash();
    FakeRollupNode.put(n + 1, replacement, base, blockSlot());
    FakeRollupNode.put(n + 2, next, replacement, blockSlot());
    awaitStatus(tx, "PRECONFIRMED");

    String later = randomHash();
    FakeRollupNode.put(n + 3, later, next, blockSlot(), tx);
    s = awaitStatus(tx, "INCLUDED");
    assertThat(s.getLong("finality.blockNumber")).isEqualTo(n + 3);
    assertThat(s.getString("finality.blockHash")).isEqualTo(later);
  }
}
