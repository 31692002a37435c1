package io.preconf.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.preconf.core.crypto.EcdsaSigner;
import io.preconf.core.finality.Evidence;
import io.preconf.core.finality.EvidenceVerifier;
import io.preconf.core.finality.ViolationKind;
import io.preconf.core.node.Receipt;
import io.preconf.core.node.SendOutcome;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import io.preconf.infra.LocalNode;
import io.preconf.infra.LocalServers;
import io.preconf.infra.redis.RedisStatusLog;
import io.preconf.infra.rpc.DevAccounts;
import io.preconf.infra.rpc.JsonRpcClient;
import io.preconf.infra.rpc.JsonRpcRollupNode;
import io.preconf.infra.rpc.Senders;
import io.preconf.wire.EvidenceCodec;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * An atomic bundle with one leg on each of two real nodes is one promise: both legs included, both
 * INCLUDED then FINALIZED; a leg never handed to its node (as when delivery to that node is off)
 * and so not included by its target slot violates the whole bundle, the included leg too, with the
 * missing leg's evidence, on the feed of each leg's chain.
 */
@QuarkusTest
@TestProfile(TwoAnvilRollups.Profile.class)
@QuarkusTestResource(LocalServers.class)
class AtomicBundleOnNodesHttpTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CALL = Duration.ofSeconds(10);

  @TestHTTPResource("/")
  URL url;

  @Inject RedisStatusLog feed;

  private JsonPath call(String function, Object body) {
    return FunctionCall.post(url, function, body);
  }

  private static JsonRpcRollupNode node(LocalNode node) {
    return new JsonRpcRollupNode(
        JsonRpcClient.forRollupNode(node.url(), node.chain().value(), CALL));
  }

  /** A transfer from development account {@code account} at its next nonce on {@code node}. */
  private static Bytes transfer(LocalNode node, int account) {
    EcdsaSigner sender = DevAccounts.signer(account);
    long nonce = node(node).account(sender.address()).await().atMost(CALL).pendingNonce();
    return Senders.transfer(node.chain(), sender, nonce, 1);
  }

  /** One transfer on each node, from development account {@code account}. */
  private record Legs(Bytes onA, Bytes onB, List<Map<String, Object>> promised) {
    Object tx(int leg) {
      return promised.get(leg).get("txHash");
    }
  }

  /** Promises a transfer on each node as one atomic bundle for {@code targetSlot}. */
  private Legs bundle(int account, long targetSlot) {
    Bytes first = transfer(TwoAnvilRollups.first, account);
    Bytes second = transfer(TwoAnvilRollups.second, account);
    JsonPath issued =
        call(
            "preconfirm",
            Map.of(
                "transactions",
                List.of(first.toHex(), second.toHex()),
                "atomic",
                true,
                "targetSlot",
                targetSlot));
    assertThat(issued.getList("preconfirmations")).as(issued.prettify()).hasSize(2);
    assertThat(issued.getBoolean("preconfirmations[0].commitment.atomic")).isTrue();
    return new Legs(first, second, issued.getList("preconfirmations"));
  }

  private static Receipt send(LocalNode node, Bytes tx) throws InterruptedException {
    SendOutcome sent = node(node).sendRawTransaction(tx).await().atMost(CALL);
    assertThat(sent).isInstanceOf(SendOutcome.Accepted.class);
    return Senders.awaitReceipt(node(node), sent.txHash());
  }

  private JsonPath status(ChainId chain, Object tx) {
    return call("status", Map.of("chainId", chain.value(), "txHash", tx));
  }

  private JsonPath awaitStatus(ChainId chain, Object tx, String status) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    JsonPath s;
    do {
      s = status(chain, tx);
      if (status.equals(s.getString("status"))) {
        return s;
      }
      Thread.sleep(200);
    } while (System.currentTimeMillis() < deadline);
    throw new AssertionError("status of " + tx + " stayed " + s.prettify() + ", not " + status);
  }

  /** The statuses the feed of {@code chain} announced for {@code tx}, oldest first. */
  private List<String> announced(ChainId chain, Object tx) throws Exception {
    List<String> out = new ArrayList<>();
    for (RedisStatusLog.Entry e : feed.readAfter(chain, "0-0", 10_000).await().atMost(CALL)) {
      var data = JSON.readTree(e.json());
      if (data.get("txHash").asText().equals(tx)) {
        out.add(data.get("status").asText());
      }
    }
    return out;
  }

  @Test
  void aBundleWhoseLegsBothLandIsIncludedThenFinalizedOnBothChains() throws Exception {
    LocalNode a = TwoAnvilRollups.first;
    LocalNode b = TwoAnvilRollups.second;
    Legs legs = bundle(0, AnvilRollup.currentSlot() + 120);

    Receipt landedA = send(a, legs.onA());
    Receipt landedB = send(b, legs.onB());

    JsonPath first = awaitStatus(a.chain(), legs.tx(0), "FINALIZED");
    JsonPath second = awaitStatus(b.chain(), legs.tx(1), "FINALIZED");
    assertThat(first.getString("finality.blockHash")).isEqualTo(landedA.blockHash().toHex());
    assertThat(second.getString("finality.blockHash")).isEqualTo(landedB.blockHash().toHex());
    assertThat(announced(a.chain(), legs.tx(0))).containsExactly("INCLUDED", "FINALIZED");
    assertThat(first.getList("violations")).isNullOrEmpty();
  }

  @Test
  void aLegNeverHandedToItsNodeViolatesTheWholeBundleThoughTheOtherLegLanded() throws Exception {
    LocalNode a = TwoAnvilRollups.first;
    LocalNode b = TwoAnvilRollups.second;
    long target = AnvilRollup.currentSlot() + 4;
    Legs legs = bundle(1, target);
    Object txA = legs.tx(0);
    Object txB = legs.tx(1);

    Receipt landed = send(a, legs.onA()); // the leg on b is never handed to its node
    awaitStatus(a.chain(), txA, "INCLUDED");

    JsonPath missed = awaitStatus(b.chain(), txB, "VIOLATED");
    JsonPath broken = awaitStatus(a.chain(), txA, "VIOLATED");

    assertThat(broken.getString("finality.blockHash"))
        .as("the landed leg keeps where it landed")
        .isEqualTo(landed.blockHash().toHex());
    assertThat(broken.getString("violations[0].kind")).isEqualTo("NOT_INCLUDED_BY_TARGET_SLOT");
    assertThat(broken.getString("violations[0].reason")).contains(txB.toString());
    Evidence e =
        EvidenceCodec.fromJson(JSON.writeValueAsString(broken.getMap("violations[0].evidence")));
    assertThat(e.kind()).isEqualTo(ViolationKind.NOT_INCLUDED_BY_TARGET_SLOT);
    assertThat(e.preconfirmations()).hasSize(1);
    assertThat(e.preconfirmations().get(0).txHash().toHex())
        .as("names the missing leg")
        .isEqualTo(txB);
    assertThat(e.preconfirmations().get(0).commitment().root().toHex())
        .isEqualTo(((Map<?, ?>) legs.promised().get(0).get("commitment")).get("root"));
    assertThat(e.rollup().chainId()).isEqualTo(b.chain());
    assertThat(e.blocks().get(0).slot()).isGreaterThan(target);
    Address signer = Address.fromHex(call("info", Map.of()).getString("signer"));
    assertThat(EvidenceVerifier.verify(e, Set.of(signer))).isEmpty();
    assertThat(missed.getString("violations[0].evidence.preconfirmations[0].txHash"))
        .isEqualTo(txB);

    assertThat(announced(b.chain(), txB)).containsExactly("VIOLATED");
    assertThat(announced(a.chain(), txA)).containsExactly("INCLUDED", "VIOLATED");

    // Later blocks on a never finalize the broken bundle's leg.
    long past = landed.blockNumber() + AnvilRollup.DEPTH + 2;
    while (node(a).head().await().atMost(CALL).number() < past) {
      Thread.sleep(500);
    }
    Thread.sleep(2 * AnvilRollup.SLOT_MS);
    assertThat(status(a.chain(), txA).getString("status")).isEqualTo("VIOLATED");
  }
}
