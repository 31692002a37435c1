package io.preconf.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** What the load balancer and the operator look at. */
@QuarkusTest
@WithTestResource(FeedServers.class)
class HealthTest extends FeedTestBase {

  @Test
  void readinessCoversTheLaneReadersRedisAndPostgres() throws Exception {
    HttpResponse<String> ready = get("/q/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).contains("\"feed\"").contains("Redis").contains("Database");
  }

  @Test
  void metricsShowConnectionsAndLanePositions() throws Exception {
    subscribe("chainId=" + alpha);
    awaitSubscribers(node, 1);
    String metrics = get("/q/metrics").body();
    assertThat(metrics).contains("preconf_feed_connections 1.0");
    assertThat(metrics).contains("preconf_feed_lane_position{chain=\"" + alpha + "\"}");
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
