package io.preconf.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.preconf.infra.LocalServers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An engine that may hold one waiting request refuses the rest of a burst at once: HTTP 503 with
 * Retry-After and the coded OVERLOADED answer, while the admitted requests are promised.
 */
@QuarkusTest
@TestProfile(OverloadHttpTest.OneWaiting.class)
@QuarkusTestResource(LocalServers.class)
class OverloadHttpTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int BURST = 40;

  public static final class OneWaiting implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "preconf.engine.max-waiting-requests",
          "1",
          "preconf.engine.round-max-requests",
          "1",
          // A shared machine under other builds: a lane's first read of its history may be slow.
          "preconf.infra.postgres.timeout",
          "15s");
    }
  }

  @TestHTTPResource("/preconfirm")
  URL preconfirm;

  @Test
  void aBurstPastTheBoundIsAnswered503WithRetryAfterAndTheAdmittedArePromised() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    // One request alone first: the lane is read from the store once, before the burst.
    assertThat(send(http).get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < BURST; i++) {
      calls.add(send(http));
    }

    int refused = 0;
    int promised = 0;
    for (CompletableFuture<HttpResponse<String>> call : calls) {
      HttpResponse<String> r = call.get(60, TimeUnit.SECONDS);
      JsonNode answer = JSON.readTree(r.body());
      if (r.statusCode() == 503) {
        refused++;
        assertThat(r.headers().firstValue("Retry-After")).contains("1");
        assertThat(answer.path("preconfirmations")).isEmpty();
        assertThat(answer.path("error").path("code").asText())
            .isEqualTo("PRECONFIRMATION_GENERATION_FAILED");
        assertThat(answer.path("error").path("reason").asText()).isEqualTo("OVERLOADED");
      } else {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(answer.path("preconfirmations")).as(r.body()).hasSize(1);
        promised++;
      }
    }
    assertThat(promised).isPositive();
    assertThat(refused).isPositive();
    assertThat(promised + refused).isEqualTo(BURST);
  }

  private CompletableFuture<HttpResponse<String>> send(HttpClient http) throws Exception {
    String body = JSON.writeValueAsString(Map.of("transactions", List.of(Txs.transfer(Txs.ALPHA))));
    return http.sendAsync(
        HttpRequest.newBuilder(URI.create(preconfirm.toString()))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
