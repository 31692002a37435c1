package io.preconf.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.preconf.core.crypto.EcdsaSigner;
import io.preconf.core.node.Receipt;
import io.preconf.core.node.SendOutcome;
import io.preconf.core.reconcile.Reconciliation;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import io.preconf.infra.LocalNode;
import io.preconf.infra.LocalServers;
import io.preconf.infra.redis.RedisStatusLog;
import io.preconf.infra.rpc.JsonRpcClient;
import io.preconf.infra.rpc.JsonRpcRollupNode;
import io.preconf.infra.rpc.Senders;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With a rollup's JSON-RPC URL configured, the engine follows the chain of a real node (anvil) by
 * itself: nobody calls reconcile, and statuses still move, through a reorg, a revert deeper than
 * the finality depth and a node restarted empty. The node mines only when the test says so
 * (automine and interval mining off), so that each situation is made exactly.
 */
@QuarkusTest
@TestProfile(BlockFollowerHttpTest.Profile.class)
@QuarkusTestResource(LocalServers.class)
class BlockFollowerHttpTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CALL = Duration.ofSeconds(10);
  private static final int DEPTH = AnvilRollup.DEPTH;
  private static final LocalNode NODE = LocalNode.throwAway();
  private static final ChainId CHAIN = NODE.chain();

  /** A node of this test's own that mines on demand, followed as {@link AnvilRollup}'s is. */
  public static final class ManualNode implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
      NODE.ensureRunning();
      mineOnDemand();
      return AnvilRollup.config(NODE);
    }

    @Override
    public void stop() {
      NODE.wipe();
    }
  }

  public static final class Profile implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(ManualNode.class));
    }
  }

  @TestHTTPResource("/")
  URL url;

  @Inject RedisStatusLog feed;
  @Inject Reconciliation reconciliation;

  private static JsonRpcClient rpc() {
    return JsonRpcClient.forRollupNode(NODE.url(), CHAIN.value(), CALL);
  }

  private static JsonNode rpc(String method, Object... params) {
    return rpc().call(JsonRpcClient.Call.of(method, params)).await().atMost(CALL);
  }

  private static void mineOnDemand() {
    rpc("evm_setIntervalMining", 0);
    rpc("evm_setAutomine", false);
  }

  private static void mine(int blocks) {
    rpc("anvil_mine", "0x" + Integer.toHexString(blocks));
  }

  private static JsonRpcRollupNode node() {
    return new JsonRpcRollupNode(rpc());
  }

  /** Hands {@code tx} to the node's pool, mines one block, and gives where it landed. */
  private static Receipt mineIn(Bytes tx) throws InterruptedException {
    SendOutcome sent = node().sendRawTransaction(tx).await().atMost(CALL);
    assertThat(sent).as("the node takes the transaction").isInstanceOf(SendOutcome.Accepted.class);
    mine(1);
    return Senders.awaitReceipt(node(), sent.txHash());
  }

  /** A block of other contents than the one it replaces: another sender's transfer in it. */
  private static void mineOtherBranch(int blocks) throws InterruptedException {
    rpc("anvil_dropAllTransactions");
    mineIn(Senders.transfer(CHAIN, Senders.funded(rpc()), 0, 1));
    mine(blocks - 1);
  }

  private static void fund(EcdsaSigner sender) {
    rpc("anvil_setBalance", sender.address().toHex(), "0x" + Senders.ETHER.toString(16));
  }

  private static String blockHash(long number) {
    return rpc("eth_getBlockByNumber", "0x" + Long.toHexString(number), false).get("hash").asText();
  }

  private JsonPath call(String function, Object body) {
    return FunctionCall.post(url, function, body);
  }

  private String promise(Bytes tx) {
    return AnvilRollup.promiseAhead(url, tx).getString("preconfirmations[0].txHash");
  }

  private JsonPath awaitStatus(String tx, String status) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    JsonPath s;
    do {
      s = call("status", Map.of("chainId", CHAIN.value(), "txHash", tx));
      if (status.equals(s.getString("status"))) {
        return s;
      }
      Thread.sleep(200);
    } while (System.currentTimeMillis() < deadline);
    throw new AssertionError("status of " + tx + " stayed " + s.prettify() + ", not " + status);
  }

  /** The status messages the feed announced for {@code tx}, oldest first. */
  private List<JsonNode> announced(String tx) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (RedisStatusLog.Entry e : feed.readAfter(CHAIN, "0-0", 10_000).await().atMost(CALL)) {
      JsonNode data = JSON.readTree(e.json());
      if (data.get("txHash").asText().equals(tx)) {
        out.add(data);
      }
    }
    return out;
  }

  private List<String> announcedStatuses(String tx) throws Exception {
    return announced(tx).stream().map(d -> d.get("status").asText()).toList();
  }

  @Test
  void theFollowerTakesAMinedPromiseThroughAReorgThatDropsItToReInclusionAndFinality()
      throws Exception {
    mine(1);
    EcdsaSigner sender = Senders.funded(rpc());
    Bytes signed = Senders.transfer(CHAIN, sender, 0, 1);
    String tx = promise(signed);
    String snapshot = rpc("evm_snapshot").asText();

    Receipt first = mineIn(signed);
    JsonPath s = awaitStatus(tx, "INCLUDED");
    assertThat(s.getString("finality.blockHash")).isEqualTo(first.blockHash().toHex());
    assertThat(s.getLong("finality.blockNumber")).isEqualTo(first.blockNumber());

    // The node reverts the block and grows another branch past it, without the transaction.
    assertThat(rpc("evm_revert", snapshot).asBoolean()).isTrue();
    mineOtherBranch(2);
    assertThat(blockHash(first.blockNumber())).isNotEqualTo(first.blockHash().toHex());
    s = awaitStatus(tx, "PRECONFIRMED");
    assertThat((Object) s.get("finality")).as("the inclusion is taken back").isNull();

    // Later the transaction lands on the new branch, and is final DEPTH blocks on.
    Receipt later = mineIn(signed);
    assertThat(later.blockNumber()).isEqualTo(first.blockNumber() + 2);
    s = awaitStatus(tx, "INCLUDED");
    assertThat(s.getLong("finality.blockNumber")).isEqualTo(later.blockNumber());
    assertThat(s.getString("finality.blockHash")).isEqualTo(later.blockHash().toHex());
    mine(DEPTH);
    s = awaitStatus(tx, "FINALIZED");
    assertThat(s.getString("finality.blockHash")).isEqualTo(later.blockHash().toHex());

    List<JsonNode> changes = announced(tx);
    assertThat(changes.stream().map(d -> d.get("status").asText()))
        .containsExactly("INCLUDED", "PRECONFIRMED", "INCLUDED", "FINALIZED");
    assertThat(changes.get(1).get("reason").asText()).startsWith("reorg:");
  }

  @Test
  void aRevertDeeperThanTheDepthTakesBackAFinalizedPromiseLoudlyAndFollowingGoesOn()
      throws Exception {
    mine(1);
    String snapshot = rpc("evm_snapshot").asText();
    long lostBefore = reconciliation.reorgsBeyondFinality();
    EcdsaSigner sender = Senders.funded(rpc());
    Bytes signed = Senders.transfer(CHAIN, sender, 0, 1);
    String tx = promise(signed);
    Receipt first = mineIn(signed);
    mine(DEPTH + 20);
    awaitStatus(tx, "FINALIZED");

    // Back DEPTH + 21 blocks, then a different and longer chain.
    assertThat(rpc("evm_revert", snapshot).asBoolean()).isTrue();
    mineOtherBranch(DEPTH + 25);
    assertThat(blockHash(first.blockNumber())).isNotEqualTo(first.blockHash().toHex());

    JsonPath s = awaitStatus(tx, "PRECONFIRMED");
    assertThat(s.getList("violations")).isNullOrEmpty();
    List<JsonNode> changes = announced(tx);
    assertThat(changes.stream().map(d -> d.get("status").asText()))
        .containsExactly("INCLUDED", "FINALIZED", "INCLUDED", "PRECONFIRMED");
    assertThat(changes.get(2).get("reason").asText())
        .as("taking back a finalization says so")
        .contains("REORG_BEYOND_FINALITY");
    assertThat(reconciliation.reorgsBeyondFinality()).isEqualTo(lostBefore + 1);
    String metrics =
        RestAssured.given()
            .port(url.getPort())
            .get("/q/metrics")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertThat(metrics).containsPattern("preconf_reorgs_beyond_finality_total(\\{[^}]*\\})? [1-9]");

    // The follower is on the node's chain: the transaction lands there and is followed (the
    // sender was funded after the snapshot, so the revert took its ether too).
    fund(sender);
    Receipt again = mineIn(signed);
    s = awaitStatus(tx, "INCLUDED");
    assertThat(s.getString("finality.blockHash")).isEqualTo(again.blockHash().toHex());
  }

  @Test
  void aNodeRestartedEmptyIsFollowedOnItsNewChainAndWhatTheOldOneDidIsUndone() throws Exception {
    mine(20); // so that the restarted node's heights are below this one's
    EcdsaSigner sender = Senders.funded(rpc());
    Bytes signed = Senders.transfer(CHAIN, sender, 0, 1);
    String tx = promise(signed);
    Receipt first = mineIn(signed);
    awaitStatus(tx, "INCLUDED");

    // The node loses everything: its heights start again from 0, below all the engine took.
    NODE.wipe();
    NODE.ensureRunning();
    mineOnDemand();
    fund(sender);
    mine(2);
    assertThat(node().head().await().atMost(CALL).number()).isLessThan(first.blockNumber());

    JsonPath s = awaitStatus(tx, "PRECONFIRMED");
    assertThat(s.getList("violations")).isNullOrEmpty();
    assertThat(announced(tx).get(1).get("reason").asText()).startsWith("reorg:");

    Receipt again = mineIn(signed);
    s = awaitStatus(tx, "INCLUDED");
    assertThat(s.getString("finality.blockHash")).isEqualTo(again.blockHash().toHex());
    assertThat(announcedStatuses(tx)).containsExactly("INCLUDED", "PRECONFIRMED", "INCLUDED");
  }
}
