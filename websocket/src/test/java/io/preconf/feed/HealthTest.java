package io.preconf.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.commit.Preconfirmation;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

  @Test
  void everyListedMetricReadsATrueValueAfterTraffic() throws Exception {
    FeedClient c = subscribe("chainId=" + alpha);
    awaitSubscribers(node, 1);
    List<Preconfirmation> issued = engine().issue(alpha, 3);
    awaitReceived(c, alpha, 3);
    long head = issued.get(issued.size() - 1).sequence();
    // A gauge held weakly reads NaN once its object is collected.
    System.gc();
    awaitTrue("the lane position to reach the lane's head", () -> lanePosition() == head);

    String metrics = get("/q/metrics").body();
    assertThat(metrics).doesNotContainPattern("(?m)^preconf_\\S+ NaN$");
    assertThat(metrics).contains("preconf_feed_connections 1.0");
    assertThat(metrics).containsPattern("(?m)^preconf_feed_dispatched_total\\{chain=\"" + alpha);
  }

  private double lanePosition() {
    try {
      Matcher m =
          Pattern.compile("(?m)^preconf_feed_lane_position\\{chain=\"" + alpha + "\"} (\\S+)$")
              .matcher(get("/q/metrics").body());
      return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
