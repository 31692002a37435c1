package io.preconf.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * A node with nobody to serve reads no lane: the entries of a lane nobody follows are neither read
 * nor decoded. Its next subscriber still gets what it asks for: live from now, or from a sequence,
 * with nothing left out and nothing twice.
 */
@QuarkusTest
@WithTestResource(FeedServers.class)
class IdleLaneTest extends FeedTestBase {
  @Inject MeterRegistry registry;

  @Test
  void aLaneNobodyFollowsIsNotReadYetItsPositionFollowsTheHead() {
    awaitTrue("the node to stop reading lane alpha", () -> !node.reads(alpha));
    double dispatchedBefore = dispatched();

    List<Long> issued = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      issued.addAll(sequences(engine().issue(alpha, 2), alpha));
    }
    long last = issued.get(issued.size() - 1);
    awaitTrue("the lane's position to reach " + last, () -> node.position(alpha) >= last);

    assertThat(dispatched()).as("entries dispatched to nobody").isEqualTo(dispatchedBefore);
    assertThat(node.reads(alpha)).isFalse();
    assertThat(node.ready()).isTrue();
  }

  @Test
  void aSubscriberOfALaneLeftUnreadGoesLiveFromNowNotFromWhereTheLaneWasLeft() {
    FeedClient first = subscribe("chainId=" + alpha);
    awaitSubscribers(node, 1);
    List<Long> seen = sequences(engine().issue(alpha, 2), alpha);
    awaitReceived(first, alpha, seen.size());
    first.close();
    awaitTrue("the node to stop reading lane alpha", () -> !node.reads(alpha));
    long unseen = sequences(engine().issue(alpha, 4), alpha).get(3);
    // An answer does not wait for its publish: the subscriber below joins once these are in the
    // log, so that they are before its start.
    awaitTrue(
        "sequence " + unseen + " in the lane's log",
        () -> feedLog.head(alpha).await().atMost(TestEngine.AWAIT) >= unseen);

    FeedClient live = subscribe("chainId=" + alpha);
    awaitTrue("the node to read lane alpha again", () -> node.reads(alpha));
    List<Long> after = sequences(engine().issue(alpha, 3), alpha);
    awaitReceived(live, alpha, after.size());
    settle();

    assertThat(after.get(0)).isGreaterThan(unseen);
    assertThat(live.sequences(alpha.value())).isEqualTo(after);
  }

  @Test
  void aSubscriberResumingOnALaneLeftUnreadGetsEverythingFromItsSequence() {
    awaitTrue("the node to stop reading lane alpha", () -> !node.reads(alpha));
    List<Long> missed = sequences(engine().issue(alpha, 6), alpha);

    FeedClient resumed = subscribe("chainId=" + alpha + "&from=" + missed.get(0));
    awaitReceived(resumed, alpha, missed.size());
    List<Long> live = sequences(engine().issue(alpha, 3), alpha);
    awaitReceived(resumed, alpha, missed.size() + live.size());
    settle();

    List<Long> expected = new ArrayList<>(missed);
    expected.addAll(live);
    assertThat(resumed.sequences(alpha.value())).isEqualTo(expected);
  }

  @Test
  void aLaneJoinedWhileTheNodeWaitsOnAnotherLaneIsInTheWaitAtOnce() {
    subscribe("chainId=" + beta);
    awaitTrue("the node to wait on lane beta only", () -> node.reads(beta) && !node.reads(alpha));

    FeedClient joined = subscribe("chainId=" + alpha);
    awaitSubscribers(node, 2);
    // The wait over beta alone lasts up to the poll interval (500 ms here): the join does not wait
    // for it to end.
    assertThat(within(Duration.ofMillis(100), () -> node.reads(alpha)))
        .as("lane alpha in the node's wait within 100 ms of its subscriber's join")
        .isTrue();
    List<Long> issued = sequences(engine().issue(alpha, 2), alpha);
    long published = System.nanoTime();
    awaitReceived(joined, alpha, issued.size());
    Duration took = Duration.ofNanos(System.nanoTime() - published);

    assertThat(joined.sequences(alpha.value())).isEqualTo(issued);
    assertThat(took)
        .as("from the publish returning to the frames")
        .isLessThan(Duration.ofMillis(500));
  }

  private static boolean within(Duration bound, BooleanSupplier condition) {
    long deadline = System.nanoTime() + bound.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      FeedClient.sleep(5);
    }
    return true;
  }

  private double dispatched() {
    return Search.in(registry)
        .name("preconf.feed.dispatched")
        .tag("chain", alpha.toString())
        .counters()
        .stream()
        .mapToDouble(c -> c.count())
        .sum();
  }
}
