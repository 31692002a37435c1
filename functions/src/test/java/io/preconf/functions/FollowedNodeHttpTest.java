package io.preconf.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.crypto.EcdsaSigner;
import io.preconf.core.node.Receipt;
import io.preconf.core.node.SendOutcome;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.preconf.infra.LocalServers;
import io.preconf.infra.rpc.DevAccounts;
import io.preconf.infra.rpc.JsonRpcClient;
import io.preconf.infra.rpc.JsonRpcRollupNode;
import io.preconf.infra.rpc.Senders;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine follows a real rollup node (anvil): a promised transaction the node mines becomes
 * INCLUDED at the node's block, then FINALIZED; a reorg of the node's chain takes it out and puts
 * it back; and a node stopped and restarted with its chain is followed on.
 */
@QuarkusTest
@TestProfile(AnvilRollup.Profile.class)
@QuarkusTestResource(LocalServers.class)
class FollowedNodeHttpTest {
  private static final ChainId CHAIN = AnvilRollup.CHAIN;
  private static final Duration CALL = Duration.ofSeconds(10);

  @TestHTTPResource("/")
  URL url;

  private JsonRpcClient rpc;
  private JsonRpcRollupNode node;

  @BeforeEach
  void node() {
    AnvilRollup.node.ensureRunning();
    rpc = JsonRpcClient.forRollupNode(AnvilRollup.node.url(), CHAIN.value(), CALL);
    node = new JsonRpcRollupNode(rpc);
  }

  private JsonPath call(String function, Object body) {
    return FunctionCall.post(url, function, body);
  }

  private JsonPath awaitStatus(Hash32 tx, String status) throws InterruptedException {
    return awaitStatus(tx, status, null);
  }

  /** Waits for {@code status}, and with {@code blockHash} for an inclusion in that very block. */
  private JsonPath awaitStatus(Hash32 tx, String status, Hash32 blockHash)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + 30_000;
    JsonPath s;
    do {
      s = call("status", Map.of("chainId", CHAIN.value(), "txHash", tx.toHex()));
      if (status.equals(s.getString("status"))
          && (blockHash == null || blockHash.toHex().equals(s.getString("finality.blockHash")))) {
        return s;
      }
      Thread.sleep(200);
    } while (System.currentTimeMillis() < deadline);
    throw new AssertionError(
        "status of " + tx + " stayed " + s.prettify() + ", not " + status + " in " + blockHash);
  }

  /** A transfer from development account {@code account} at its next nonce by the node. */
  private Bytes transfer(int account) {
    EcdsaSigner sender = DevAccounts.signer(account);
    long nonce = node.account(sender.address()).await().atMost(CALL).pendingNonce();
    return Senders.transfer(CHAIN, sender, nonce, 1);
  }

  /** Promises {@code tx} for a slot well ahead, then hands it to the node. */
  private Hash32 promiseAndSend(Bytes tx) {
    JsonPath issued = AnvilRollup.promiseAhead(url, tx);
    SendOutcome sent = node.sendRawTransaction(tx).await().atMost(CALL);
    assertThat(sent).isInstanceOf(SendOutcome.Accepted.class);
    assertThat(sent.txHash().toHex()).isEqualTo(issued.getString("preconfirmations[0].txHash"));
    return sent.txHash();
  }

  @Test
  void aPromiseTheNodeMinesIsIncludedAtItsBlockThenFinalized() throws Exception {
    Hash32 tx = promiseAndSend(transfer(0));
    Receipt mined = Senders.awaitReceipt(node, tx);

    JsonPath included = awaitStatus(tx, "INCLUDED");
    assertThat(included.getLong("finality.blockNumber")).isEqualTo(mined.blockNumber());
    assertThat(included.getString("finality.blockHash")).isEqualTo(mined.blockHash().toHex());
    assertThat(included.getInt("finality.index")).isEqualTo(mined.index());

    JsonPath finalized = awaitStatus(tx, "FINALIZED");
    assertThat(finalized.getString("finality.blockHash")).isEqualTo(mined.blockHash().toHex());
  }

  @Test
  void aReorgOfTheNodesChainTakesTheInclusionOutAndTheNewBranchPutsItBack() throws Exception {
    Bytes signed = transfer(1);
    Hash32 tx = promiseAndSend(signed);
    Receipt first = Senders.awaitReceipt(node, tx);
    awaitStatus(tx, "INCLUDED");

    // The node drops its blocks from just below the including one up and mines a branch of its
    // own instead, with the transaction in its second block.
    long head = node.head().await().atMost(CALL).number();
    rpc.call(
            JsonRpcClient.Call.of(
                "anvil_reorg", head - first.blockNumber() + 2, List.of(List.of(signed.toHex(), 1))))
        .await()
        .atMost(CALL);
    Receipt second = Senders.awaitReceipt(node, tx);
    assertThat(second.blockHash()).isNotEqualTo(first.blockHash());

    JsonPath s = awaitStatus(tx, "INCLUDED", second.blockHash());
    assertThat(s.getLong("finality.blockNumber")).isEqualTo(second.blockNumber());
  }

  @Test
  void aNodeRestartedWithItsChainIsFollowedOn() throws Exception {
    Hash32 before = promiseAndSend(transfer(2));
    Receipt mined = Senders.awaitReceipt(node, before);
    awaitStatus(before, "INCLUDED");

    AnvilRollup.node.stop();
    Thread.sleep(3 * AnvilRollup.SLOT_MS); // the follower's polls fail meanwhile
    AnvilRollup.node.ensureRunning();

    Hash32 after = promiseAndSend(transfer(2));
    awaitStatus(after, "INCLUDED", Senders.awaitReceipt(node, after).blockHash());
    JsonPath first = call("status", Map.of("chainId", CHAIN.value(), "txHash", before.toHex()));
    assertThat(first.getString("finality.blockHash")).isEqualTo(mined.blockHash().toHex());
  }
}
