package io.preconf.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.types.ChainId;
import io.preconf.feed.hub.FeedNode;
import io.preconf.infra.redis.RedisFeedLog;
import io.preconf.infra.redis.RedisLaneSequencer;
import io.preconf.infra.store.DurablePreconfirmationStore;
import io.quarkus.test.common.http.TestHTTPResource;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every feed test needs: the application's feed node, an engine that preconfirms into the same
 * Redis and PostgreSQL, and subscribers on 127.0.0.1. The two chains are fresh for each run (see
 * {@link FeedServers}); tests still never assume absolute sequences, since they share lanes.
 */
abstract class FeedTestBase {
  @Inject FeedNode node;
  @Inject Vertx vertx;
  @Inject RedisLaneSequencer lanes;
  @Inject DurablePreconfirmationStore store;
  @Inject RedisFeedLog feedLog;

  @TestHTTPResource("/")
  URL url;

  private static TestEngine engine;
  private final List<FeedClient> clients = new ArrayList<>();
  ChainId alpha;
  ChainId beta;

  @BeforeEach
  void engineAndQuietNode() {
    alpha = node.chains().get(0);
    beta = node.chains().get(1);
    if (engine == null) {
      engine = new TestEngine(node.chains(), lanes, store, feedLog);
    }
    awaitTrue("the node to be ready", node::ready);
    awaitTrue("earlier tests' connections to close", () -> node.connections() == 0);
  }

  @AfterEach
  void closeClients() {
    clients.forEach(FeedClient::close);
    clients.clear();
  }

  TestEngine engine() {
    return engine;
  }

  int port() {
    return url.getPort();
  }

  /** A subscriber on the application's node; closed after the test. */
  FeedClient subscribe(String query) {
    return track(FeedClient.connect(vertx, port(), query));
  }

  FeedClient track(FeedClient c) {
    clients.add(c);
    return c;
  }

  /** Waits until the node holds {@code n} subscribers, so that what follows reaches them. */
  void awaitSubscribers(FeedNode on, int n) {
    awaitTrue(n + " subscribers on the node", () -> on.connections() == n);
  }

  static List<Long> sequences(List<Preconfirmation> issued, ChainId chain) {
    return issued.stream()
        .filter(p -> p.chainId().equals(chain))
        .map(Preconfirmation::sequence)
        .sorted()
        .toList();
  }

  static void awaitTrue(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + FeedClient.WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() < deadline)
          .as("waited %s for %s", FeedClient.WAIT, what)
          .isTrue();
      FeedClient.sleep(20);
    }
  }

  static void awaitReceived(FeedClient c, ChainId chain, int n) {
    assertThat(c.await(x -> x.sequences(chain.value()).size() >= n, FeedClient.WAIT))
        .as("%d preconfirmations on chain %s; got %s", n, chain, c.sequences(chain.value()))
        .isTrue();
  }

  /** A short pause, for checking that nothing more arrives. */
  static void settle() {
    FeedClient.sleep(Duration.ofMillis(300).toMillis());
  }
}
