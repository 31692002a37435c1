package io.preconf.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.commit.Finality;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.commit.Status;
import io.preconf.core.commit.StatusChange;
import io.preconf.core.crypto.EcdsaSigner;
import io.preconf.core.types.Hash32;
import io.preconf.infra.redis.RedisStatusLog;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a connection asks for, and what the feed refuses. */
@QuarkusTest
@WithTestResource(FeedServers.class)
class SubscriptionTest extends FeedTestBase {
  @Inject RedisStatusLog statusLog;

  @Test
  void chainIdAndSenderFiltersSelectWhatIsSent() {
    EcdsaSigner x = TestEngine.randomSender();
    String mixedCase = "0x" + x.address().toHex().substring(2).toUpperCase();
    FeedClient onlyBeta = subscribe("chainId=" + beta);
    FeedClient listed = subscribe("chainId=" + alpha + "," + beta);
    FeedClient repeated = subscribe("chainId=" + alpha + "&chainId=" + beta);
    FeedClient everything = subscribe("");
    FeedClient bySender = subscribe("sender=" + mixedCase);
    awaitSubscribers(node, 5);

    List<Preconfirmation> issued = new ArrayList<>();
    issued.addAll(
        engine()
            .preconfirm(
                List.of(
                    TestEngine.transfer(alpha, x, 0),
                    TestEngine.transfer(alpha, x, 1),
                    TestEngine.transfer(alpha, TestEngine.randomSender(), 0))));
    issued.addAll(
        engine()
            .preconfirm(
                List.of(
                    TestEngine.transfer(beta, x, 0),
                    TestEngine.transfer(beta, TestEngine.randomSender(), 0))));
    List<Long> onAlpha = sequences(issued, alpha);
    List<Long> onBeta = sequences(issued, beta);
    List<Preconfirmation> fromX =
        issued.stream().filter(p -> p.leaf().sender().equals(x.address())).toList();

    for (FeedClient c : List.of(listed, repeated, everything)) {
      awaitReceived(c, alpha, onAlpha.size());
      awaitReceived(c, beta, onBeta.size());
    }
    awaitReceived(onlyBeta, beta, onBeta.size());
    awaitReceived(bySender, alpha, 2);
    awaitReceived(bySender, beta, 1);
    settle();

    for (FeedClient c : List.of(listed, repeated, everything)) {
      assertThat(c.sequences(alpha.value())).isEqualTo(onAlpha);
      assertThat(c.sequences(beta.value())).isEqualTo(onBeta);
    }
    assertThat(onlyBeta.sequences(alpha.value())).isEmpty();
    assertThat(onlyBeta.sequences(beta.value())).isEqualTo(onBeta);
    assertThat(bySender.received()).hasSize(fromX.size());
    for (JsonObject f : bySender.ofType("preconfirmation")) {
      assertThat(f.getJsonObject("data").getString("sender")).isEqualTo(x.address().toHex());
    }
  }

  @Test
  void preconfirmationFramesCarryTheSpecObjectAsTheEngineReturnedIt() {
    FeedClient c = subscribe("chainId=" + alpha);
    awaitSubscribers(node, 1);
    Preconfirmation p = engine().issue(alpha, 1).get(0);
    awaitReceived(c, alpha, 1);
    JsonObject frame = c.ofType("preconfirmation").get(0);
    assertThat(frame.fieldNames()).containsExactlyInAnyOrder("type", "data");
    assertThat(frame.getJsonObject("data"))
        .isEqualTo(new JsonObject(io.preconf.wire.PreconfirmationCodec.toJson(p)));
  }

  @Test
  void heartbeatsComeAtTheConfiguredInterval() {
    FeedClient c = subscribe("chainId=" + alpha);
    assertThat(c.await(x -> x.ofType("heartbeat").size() >= 3, FeedClient.WAIT)).isTrue();
    List<JsonObject> beats = c.ofType("heartbeat");
    long now = System.currentTimeMillis();
    for (int i = 1; i < 3; i++) {
      long gap = beats.get(i).getLong("time") - beats.get(i - 1).getLong("time");
      assertThat(gap).as("ms between heartbeats, configured 1000").isBetween(700L, 1500L);
    }
    assertThat(beats.get(2).getLong("time")).isBetween(now - 5_000, now);
  }

  @Test
  void statusChangesAreRelayedAndFilteredBySender() {
    EcdsaSigner x = TestEngine.randomSender();
    FeedClient all = subscribe("chainId=" + alpha);
    FeedClient onlyX = subscribe("chainId=" + alpha + "&sender=" + x.address().toHex());
    awaitSubscribers(node, 2);
    Preconfirmation mine = engine().preconfirm(List.of(TestEngine.transfer(alpha, x, 0))).get(0);
    Preconfirmation other = engine().issue(alpha, 1).get(0);

    Finality block = new Finality(1234, Hash32.fromHex("0x" + "ab".repeat(32)), 3);
    long at = System.currentTimeMillis();
    statusLog
        .publish(
            List.of(
                new StatusChange(
                    alpha,
                    other.leaf().txHash(),
                    other.sequence(),
                    Status.INCLUDED,
                    block,
                    null,
                    at),
                new StatusChange(
                    alpha,
                    mine.leaf().txHash(),
                    mine.sequence(),
                    Status.INCLUDED,
                    block,
                    null,
                    at)))
        .await()
        .atMost(TestEngine.AWAIT);

    assertThat(all.await(c -> c.ofType("status").size() == 2, FeedClient.WAIT)).isTrue();
    assertThat(onlyX.await(c -> c.ofType("status").size() == 1, FeedClient.WAIT)).isTrue();
    settle();
    assertThat(onlyX.ofType("status")).hasSize(1);
    JsonObject data = onlyX.ofType("status").get(0).getJsonObject("data");
    assertThat(data.getLong("chainId")).isEqualTo(alpha.value());
    assertThat(data.getString("txHash")).isEqualTo(mine.leaf().txHash().toHex());
    assertThat(data.getLong("sequence")).isEqualTo(mine.sequence());
    assertThat(data.getString("status")).isEqualTo("INCLUDED");
    assertThat(data.getJsonObject("finality").getLong("blockNumber")).isEqualTo(1234);
    assertThat(all.ofType("status").get(0).getJsonObject("data").getString("txHash"))
        .isEqualTo(other.leaf().txHash().toHex());
  }

  @Test
  void compressionIsNotNegotiatedUnlessConfigured() {
    FeedClient c =
        track(
            FeedClient.connect(
                vertx,
                port(),
                "chainId=" + alpha,
                new WebSocketClientOptions().setTryUsePerMessageCompression(true),
                null));
    assertThat(c.extensions()).doesNotContain("permessage-deflate");
  }

  @Test
  void badParametersGetAnErrorFrameNamingTheValueThenAPolicyClose() {
    Map<String, String[]> cases =
        Map.of(
            "chainId=abc",
            new String[] {"MALFORMED_REQUEST", "abc"},
            "chainId=1",
            new String[] {"UNSUPPORTED_CHAIN", "chain id 1"},
            "chainId=0",
            new String[] {"OUT_OF_RANGE", "got 0"},
            "from=5",
            new String[] {"MALFORMED_REQUEST", "from=5"},
            "chainId=" + alpha + "," + beta + "&from=3",
            new String[] {"MALFORMED_REQUEST", "from=3"},
            "chainId=" + alpha + "&from=0",
            new String[] {"OUT_OF_RANGE", "got 0"},
            "chainId=" + alpha + "&from=x1",
            new String[] {"MALFORMED_REQUEST", "x1"},
            "sender=0x1234",
            new String[] {"MALFORMED_HEX", "0x1234"},
            "sender=nothex",
            new String[] {"MALFORMED_HEX", "nothex"});
    cases.forEach(
        (query, expected) -> {
          RefusedClient c = RefusedClient.connect(port(), query, null);
          assertThat(c.frames()).as(query).hasSize(1);
          JsonObject error = c.frames().get(0);
          assertThat(error.getString("type")).isEqualTo("error");
          assertThat(error.getString("code")).isEqualTo("VALIDATION_FAILED");
          assertThat(error.getString("reason")).as(query).isEqualTo(expected[0]);
          assertThat(error.getString("message")).as(query).contains(expected[1]);
          assertThat(c.closeCode()).as(query).isEqualTo(1008);
          assertThat(c.closeReason()).as(query).startsWith(expected[0] + ": ");
        });
    assertThat(node.connections()).isZero();
  }

  @Test
  void queriesThatAreNotPercentEncodingAreRefusedWithAnErrorFrame() throws Exception {
    Map<String, String> cases =
        Map.of(
            "lane=%zz",
            "\"%zz\" at index 11",
            "from=%",
            "\"%\" at index 11",
            "chainId=" + alpha + "&from=%E0%A4%A",
            "\"%A\" at index",
            "sender=0x|1",
            "'|' at index 15");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      RawHandshake answer = RawHandshake.send(port(), "/feed?" + c.getKey());
      assertThat(answer.status()).as(c.getKey()).isEqualTo(101);
      assertThat(answer.accept()).isEqualTo(RawHandshake.EXPECTED_ACCEPT);
      assertThat(answer.frames()).as(c.getKey()).hasSize(1);
      JsonObject error = answer.frames().get(0);
      assertThat(error.getString("type")).isEqualTo("error");
      assertThat(error.getString("code")).isEqualTo("VALIDATION_FAILED");
      assertThat(error.getString("reason")).isEqualTo("MALFORMED_REQUEST");
      assertThat(error.getString("message"))
          .as(c.getKey())
          .contains("/feed?" + c.getKey())
          .contains(c.getValue());
      assertThat(answer.closeCode()).as(c.getKey()).isEqualTo(1008);
      assertThat(answer.closeReason()).startsWith("MALFORMED_REQUEST: ");
    }
    assertThat(node.connections()).isZero();
  }

  @Test
  void aPlainRequestWhoseTargetIsNotAUriGetsTheCodedErrorAsJson() throws Exception {
    RawHandshake answer = RawHandshake.plain(port(), "/q/health?x=%G0");
    assertThat(answer.status()).isEqualTo(400);
    JsonObject error = new JsonObject(answer.body());
    assertThat(error.getString("code")).isEqualTo("VALIDATION_FAILED");
    assertThat(error.getString("reason")).isEqualTo("MALFORMED_REQUEST");
    assertThat(error.getString("message")).contains("\"%G0\" at index 12");
  }

  @Test
  void connectionsBeyondTheAddressLimitAreRefusedUntilOneCloses() {
    List<FeedClient> open = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      open.add(subscribe("chainId=" + alpha));
    }
    awaitSubscribers(node, 8);
    RefusedClient refused = RefusedClient.connect(port(), "chainId=" + alpha, null);
    assertThat(refused.closeCode()).isEqualTo(1013);
    JsonObject error = refused.frames().get(0);
    assertThat(error.getString("code")).isEqualTo("SECURITY_VALIDATION_FAILED");
    assertThat(error.getString("reason")).isEqualTo("CONNECTION_LIMIT");
    assertThat(error.getString("message")).contains("127.0.0.1").contains("8");

    open.get(0).close();
    awaitSubscribers(node, 7);
    FeedClient admitted = subscribe("chainId=" + alpha);
    awaitSubscribers(node, 8);
    assertThat(admitted.isClosed()).isFalse();
  }

  @Test
  void apiKeysHaveTheirOwnLimitAndUnknownKeysAreRefused() {
    FeedClient byHeader =
        track(
            FeedClient.connect(
                vertx, port(), "chainId=" + alpha, new WebSocketClientOptions(), "test-key-1"));
    FeedClient byQuery = subscribe("chainId=" + alpha + "&apiKey=test-key-1");
    awaitSubscribers(node, 2);
    RefusedClient third = RefusedClient.connect(port(), "apiKey=test-key-1", null);
    assertThat(third.closeCode()).isEqualTo(1013);
    assertThat(third.frames().get(0).getString("message")).contains("API key tester");

    RefusedClient unknown = RefusedClient.connect(port(), "", "not-a-key");
    assertThat(unknown.closeCode()).isEqualTo(1008);
    assertThat(unknown.frames().get(0).getString("reason")).isEqualTo("UNKNOWN_API_KEY");

    assertThat(byHeader.isClosed()).isFalse();
    assertThat(byQuery.isClosed()).isFalse();
  }
}
