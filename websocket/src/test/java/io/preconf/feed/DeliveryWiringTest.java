package io.preconf.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.node.Receipt;
import io.preconf.core.types.ChainId;
import io.preconf.infra.LocalNode;
import io.preconf.infra.redis.RedisFeedLog;
import io.preconf.infra.redis.RedisLaneSequencer;
import io.preconf.infra.rpc.DevAccounts;
import io.preconf.infra.rpc.JsonRpcClient;
import io.preconf.infra.rpc.JsonRpcRollupNode;
import io.preconf.infra.rpc.Senders;
import io.preconf.infra.store.DurablePreconfirmationStore;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The feed's application delivers: given a rollup with a node URL (a throw-away anvil chain of this
 * test's own), it builds a forwarder for that lane alone, hands the promised transaction to the
 * node, and its gauges say it holds the lane and is caught up.
 */
@QuarkusTest
@TestProfile(DeliveryWiringTest.WithNode.class)
@WithTestResource(DeliveryWiringTest.NodeAndServers.class)
class DeliveryWiringTest {

  public static class WithNode implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("preconf.delivery.lease-ttl", "2s", "preconf.delivery.idle-poll", "100ms");
    }
  }

  /** The feed's servers, and a third rollup whose node is this test's own. */
  public static class NodeAndServers extends FeedServers {
    static LocalNode node;

    @Override
    public Map<String, String> start() {
      Map<String, String> config = new HashMap<>(super.start());
      try {
        node = LocalNode.throwAwayIn(Files.createTempDirectory("delivery-node")).ensureRunning();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      config.put("preconf.rollups[2].chain-id", Long.toString(node.chain().value()));
      config.put("preconf.rollups[2].name", "delivered");
      config.put("preconf.rollups[2].genesis-time-ms", "1735689600000");
      config.put("preconf.rollups[2].rpc-url", node.url().toString());
      return config;
    }

    @Override
    public void stop() {
      if (node != null) {
        node.wipe();
      }
      super.stop();
    }
  }

  @Inject DeliveryBeans.Deliveries deliveries;
  @Inject RedisLaneSequencer lanes;
  @Inject DurablePreconfirmationStore store;
  @Inject RedisFeedLog feedLog;

  @TestHTTPResource("/q/metrics")
  URL metrics;

  @Test
  void theRollupWithANodeIsDeliveredAndItsGaugesSaySo() throws Exception {
    ChainId chain = NodeAndServers.node.chain();
    assertThat(deliveries.loops()).as("one forwarder: only this rollup has a node").hasSize(1);
    TestEngine engine = new TestEngine(List.of(chain), lanes, store, feedLog);
    String tx = Senders.transfer(chain, DevAccounts.signer(0), 0, 1).toHex();

    Preconfirmation p = engine.preconfirm(List.of(tx)).get(0);

    JsonRpcRollupNode rpc =
        new JsonRpcRollupNode(
            JsonRpcClient.forRollupNode(
                NodeAndServers.node.url(), chain.value(), Duration.ofSeconds(10)));
    Receipt included = Senders.awaitReceipt(rpc, p.txHash());
    assertThat(included.succeeded()).isTrue();
    String id = "chain=\"" + chain.value() + "\"";
    long deadline = System.currentTimeMillis() + 30_000;
    String text = scrape();
    while (!text.contains("preconf_delivery_behind_sequences{" + id + "} 0.0")
        && System.currentTimeMillis() < deadline) {
      Thread.sleep(200);
      text = scrape();
    }
    assertThat(text)
        .contains("preconf_delivery_holding{" + id + "} 1.0")
        .contains("preconf_delivery_behind_sequences{" + id + "} 0.0")
        .contains("preconf_delivery_behind_ms{" + id + "} 0.0");
  }

  private String scrape() throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(metrics.toString())).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
