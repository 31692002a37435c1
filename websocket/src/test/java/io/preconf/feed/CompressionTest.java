package io.preconf.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.commit.Preconfirmation;
import io.preconf.wire.PreconfirmationCodec;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** permessage-deflate, when the node offers it: negotiated, and every frame arrives intact. */
@QuarkusTest
@TestProfile(CompressionTest.Compressed.class)
@WithTestResource(FeedServers.class)
class CompressionTest extends FeedTestBase {
  public static class Compressed implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("preconf.feed.compression", "true");
    }
  }

  @Test
  void aClientThatAsksGetsCompressedFramesThatDecodeToTheSamePreconfirmations() {
    FeedClient compressed =
        track(
            FeedClient.connect(
                vertx,
                port(),
                "chainId=" + alpha,
                new WebSocketClientOptions().setTryUsePerMessageCompression(true),
                null));
    FeedClient plain = subscribe("chainId=" + alpha);
    assertThat(compressed.extensions()).contains("permessage-deflate");
    assertThat(plain.extensions()).doesNotContain("permessage-deflate");
    awaitSubscribers(node, 2);

    List<Preconfirmation> issued =
        engine()
            .preconfirm(
                List.of(
                    TestEngine.transfer(alpha, TestEngine.randomSender(), 0),
                    TestEngine.transfer(alpha, TestEngine.randomSender(), 0),
                    TestEngine.transfer(alpha, TestEngine.randomSender(), 0)))
            .stream()
            .sorted(Comparator.comparingLong(Preconfirmation::sequence))
            .toList();

    for (FeedClient c : List.of(compressed, plain)) {
      awaitReceived(c, alpha, issued.size());
      List<JsonObject> got = c.ofType("preconfirmation");
      assertThat(got).hasSize(issued.size());
      for (int i = 0; i < issued.size(); i++) {
        assertThat(got.get(i).getJsonObject("data"))
            .isEqualTo(new JsonObject(PreconfirmationCodec.toJson(issued.get(i))));
      }
    }
  }
}
