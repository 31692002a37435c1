package io.preconf.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.feed.hub.FeedNode;
import io.preconf.infra.pg.PgCalls;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.websockets.next.OpenConnections;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.Test;

/**
 * Two feed nodes over the same Redis and PostgreSQL, each reading the lanes on its own: the
 * application's node (WebSockets Next), and a {@link SecondNode} with its own Redis connection,
 * readers and port. Subscribers of both get every preconfirmation once, in lane order.
 */
@QuarkusTest
@WithTestResource(FeedServers.class)
class FanOutTest extends FeedTestBase {
  @Inject Mutiny.SessionFactory sessions;
  // PostgreSQL is shared between the nodes, as several feed nodes share one database.
  @Inject PgCalls pg;
  @Inject MeterRegistry registry;
  @Inject OpenConnections openConnections;

  @ConfigProperty(name = "quarkus.redis.hosts")
  String redisUrl;

  @ConfigProperty(name = "preconf.infra.redis.key-prefix")
  String keyPrefix;

  private static final FeedNode.Settings SETTINGS =
      new FeedNode.Settings(
          Duration.ofSeconds(1),
          128,
          8,
          100,
          false,
          List.of(),
          Duration.ofMillis(500),
          32,
          Duration.ofSeconds(2));

  /**
   * The application's node writes each frame, encoded once, straight to its connections' Netty
   * channels; a WebSockets Next or Vert.x Web upgrade that hides them again would quietly cost more
   * CPU per frame, so this fails instead.
   */
  @Test
  void theNodeReachesItsConnectionsChannels() {
    subscribe("chainId=" + alpha);
    subscribe("chainId=" + beta);
    awaitSubscribers(node, 2);
    assertThat(VertxSockets.reachable()).isTrue();
    assertThat(openConnections.listAll())
        .hasSizeGreaterThanOrEqualTo(2)
        .allSatisfy(c -> assertThat(VertxSockets.channel(VertxSockets.of(c))).isNotNull());
  }

  /**
   * The node's blocking read brings the new entries themselves; a lane that is up to date
   * dispatches them from that answer instead of reading the log a second time.
   */
  @Test
  void liveEntriesAreDispatchedFromTheWakeUpReadAndEachOnce() {
    FeedClient c = subscribe("chainId=" + alpha);
    awaitSubscribers(node, 1);
    double wakeBefore = dispatched("wake");
    double readBefore = dispatched("read");

    List<Long> issued = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      issued.addAll(sequences(engine().issue(alpha, 1), alpha));
      awaitReceived(c, alpha, issued.size());
    }

    assertThat(c.sequences(alpha.value())).isEqualTo(issued);
    assertThat(dispatched("wake") - wakeBefore).isGreaterThanOrEqualTo(4);
    assertThat(dispatched("wake") - wakeBefore + dispatched("read") - readBefore).isEqualTo(5);
  }

  private double dispatched(String via) {
    var counter =
        registry
            .find("preconf.feed.dispatched")
            .tags("chain", alpha.toString(), "via", via)
            .counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void everySubscriberOfEitherNodeGetsEachPreconfirmationOnceInLaneOrder() throws Exception {
    try (SecondNode second =
        new SecondNode(node.chains(), redisUrl, keyPrefix, sessions, pg, SETTINGS)) {
      awaitTrue("the second node to be ready", second.node::ready);
      FeedClient a1 = subscribe("chainId=" + alpha);
      FeedClient a2 = subscribe("chainId=" + alpha);
      FeedClient aAll = subscribe("");
      FeedClient b1 = track(FeedClient.connect(vertx, second.port, "chainId=" + alpha));
      FeedClient b2 = track(FeedClient.connect(vertx, second.port, ""));
      awaitSubscribers(node, 3);
      awaitSubscribers(second.node, 2);

      // Six requests at once, so that publishes reach each lane's log out of order.
      List<CompletableFuture<List<Preconfirmation>>> requests = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        int n = i;
        requests.add(
            CompletableFuture.supplyAsync(() -> engine().issue(n % 3 == 2 ? beta : alpha, 5)));
      }
      List<Preconfirmation> issued = new ArrayList<>();
      for (CompletableFuture<List<Preconfirmation>> r : requests) {
        issued.addAll(r.get());
      }
      List<Long> onAlpha = sequences(issued, alpha);
      List<Long> onBeta = sequences(issued, beta);
      assertThat(onAlpha).hasSize(20);
      assertThat(onAlpha)
          .as("one stretch of the lane, nothing else issued meanwhile")
          .isEqualTo(LongStream.rangeClosed(onAlpha.get(0), onAlpha.get(19)).boxed().toList());

      for (FeedClient c : List.of(a1, a2, aAll, b1, b2)) {
        awaitReceived(c, alpha, onAlpha.size());
      }
      awaitReceived(aAll, beta, onBeta.size());
      awaitReceived(b2, beta, onBeta.size());
      settle();

      for (FeedClient c : List.of(a1, a2, aAll, b1, b2)) {
        assertThat(c.sequences(alpha.value())).isEqualTo(onAlpha);
      }
      assertThat(aAll.sequences(beta.value())).isEqualTo(onBeta);
      assertThat(b2.sequences(beta.value())).isEqualTo(onBeta);
      assertThat(a1.sequences(beta.value())).isEmpty();
      assertThat(b1.sequences(beta.value())).isEmpty();
      assertThat(second.node.position(alpha))
          .as("the second node's own reader reached the lane's head")
          .isGreaterThanOrEqualTo(onAlpha.get(19));
    }
  }

  @Test
  void aNodeOverAnEmptyLogGoesLiveAfterTheLastRecordedSequenceNotFromTheStart() {
    long recorded = sequences(engine().issue(alpha, 3), alpha).get(2);
    // A Redis whose data is gone, as the node sees it: the same lanes under a prefix with no keys.
    try (SecondNode wiped =
        new SecondNode(node.chains(), redisUrl, keyPrefix + "wiped:", sessions, pg, SETTINGS)) {
      awaitTrue("the node to be ready", wiped.node::ready);
      assertThat(wiped.node.position(alpha)).isEqualTo(recorded);
    }
  }
}
