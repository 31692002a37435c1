package io.preconf.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.commit.PromisedTransaction;
import io.preconf.core.port.FeedPublisher;
import io.preconf.feed.hub.Frame;
import io.preconf.feed.hub.Handshake;
import io.preconf.feed.hub.Outlet;
import io.preconf.feed.hub.Subscriber;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/**
 * Joining a lane the node has stopped reading, as a client that reconnects right after the lane
 * lost its last follower does. A live subscriber starts at the log's head as the node reads it on
 * accepting the connection: it gets everything published after that and nothing published before,
 * however far behind the lane's own position was left; a resuming one gets everything from its
 * sequence. Each in order, with nothing left out and nothing twice.
 */
@QuarkusTest
@WithTestResource(FeedServers.class)
class LiveJoinTest extends FeedTestBase {
  private static final int ROUNDS = 5;
  private static final int RACE_ROUNDS = 60;

  /** Far longer than a wake-up (the poll interval is 500 ms in tests), far shorter than 30 s. */
  private static final Duration RACE_WAIT = Duration.ofSeconds(5);

  @Test
  void aLiveSubscriberGetsNothingPublishedBeforeItJoinedALaneLeftUnread() {
    // A follower of the other lane keeps the node in its wait, so that nothing but the joins
    // below makes it look at lane alpha again.
    subscribe("chainId=" + beta);
    awaitSubscribers(node, 1);
    awaitTrue("the node to stop reading lane alpha", () -> !node.reads(alpha));
    HeldPublisher held = new HeldPublisher(feedLog);
    TestEngine late = new TestEngine(node.chains(), lanes, store, held);

    for (int round = 0; round < ROUNDS; round++) {
      // Answered (recorded) but not yet in the lane's log, as an answer is before its publish.
      List<Long> early = sequences(late.issue(alpha, 2), alpha);
      FeedClient resumed = subscribe("chainId=" + alpha + "&from=" + early.get(0));
      awaitSubscribers(node, 2);
      resumed.close();
      awaitSubscribers(node, 1);
      held.release();
      awaitTrue("sequence " + early.get(1) + " in the lane's log", () -> head() >= early.get(1));

      FeedClient live = subscribe("chainId=" + alpha);
      awaitTrue("the node to read lane alpha", () -> node.reads(alpha));
      List<Long> after = sequences(engine().issue(alpha, 2), alpha);
      awaitReceived(live, alpha, after.size());
      FeedClient again = subscribe("chainId=" + alpha + "&from=" + early.get(0));
      awaitReceived(again, alpha, early.size() + after.size());
      settle();

      assertThat(live.sequences(alpha.value()))
          .as("round %d: live after %s was published", round, early)
          .isEqualTo(after);
      List<Long> everything = new ArrayList<>(early);
      everything.addAll(after);
      assertThat(again.sequences(alpha.value()))
          .as("round %d: resumed from %d", round, early.get(0))
          .isEqualTo(everything);
      live.close();
      again.close();
      awaitSubscribers(node, 1);
      awaitTrue("the node to stop reading lane alpha", () -> !node.reads(alpha));
    }
  }

  /**
   * What a client does when it subscribes and then preconfirms: the lane's last follower has just
   * left (the node may be dropping the lane from its wait, or sleeping), a live subscriber
   * connects, and a preconfirmation answered earlier is published as soon as the connection is
   * open. Whatever state the node is in, the subscriber gets it: its live start was read before it
   * was connected. A follower of the other lane comes and goes every few rounds, so that the node
   * is sometimes waiting on the other lane and sometimes idle.
   */
  @Test
  void aLiveSubscriberGetsWhatIsPublishedOnceItIsConnectedRightAfterTheLaneLostItsLastFollower() {
    HeldPublisher held = new HeldPublisher(feedLog);
    TestEngine late = new TestEngine(node.chains(), lanes, store, held);
    Random jitter = new Random();
    FeedClient previous = subscribe("chainId=" + alpha);
    FeedClient other = null;
    for (int round = 0; round < RACE_ROUNDS; round++) {
      List<Long> answered = sequences(late.issue(alpha, 1), alpha);
      if (round % 4 == 0) {
        if (other == null) {
          other = subscribe("chainId=" + beta);
        } else {
          other.close();
          other = null;
        }
      }
      previous.close();
      FeedClient.sleep(jitter.nextInt(4));
      FeedClient live = subscribe("chainId=" + alpha);
      held.release();
      assertThat(live.await(c -> !c.sequences(alpha.value()).isEmpty(), RACE_WAIT))
          .as("round %d: sequence %s, published once the subscriber was connected", round, answered)
          .isTrue();
      assertThat(live.sequences(alpha.value())).as("round %d", round).isEqualTo(answered);
      previous = live;
    }
  }

  /** Without the lane's head read during its handshake, a connection cannot join: it is told so. */
  @Test
  void aConnectionWhoseLaneHeadsCouldNotBeReadIsRefusedAndToldWhereToResume() {
    List<String> sent = new ArrayList<>();
    List<String> closes = new ArrayList<>();
    Outlet outlet =
        new Outlet() {
          @Override
          public void send(Frame frame, Runnable done) {
            sent.add(frame.text());
            done.run();
          }

          @Override
          public Executor loop() {
            return Runnable::run;
          }

          @Override
          public Uni<Void> close(int code, String reason) {
            closes.add(code + " " + reason);
            return Uni.createFrom().voidItem();
          }
        };

    Subscriber s =
        node.open(
            outlet,
            new Handshake("chainId=" + alpha + "&from=7", null, List.of(), "127.0.0.1"),
            null);

    assertThat(s).isNull();
    assertThat(node.connections()).isZero();
    assertThat(sent).singleElement().asString().contains("BACKEND_UNAVAILABLE", "lane " + alpha);
    assertThat(closes).singleElement().asString().startsWith("1011 ").contains("from=7");
  }

  private long head() {
    return feedLog.head(alpha).await().atMost(TestEngine.AWAIT);
  }

  /**
   * A publisher that answers at once and appends to the log only when released: the window between
   * an answer and its publish, held open.
   */
  private static final class HeldPublisher implements FeedPublisher {
    private final FeedPublisher log;
    private final List<PromisedTransaction> held = new ArrayList<>();

    HeldPublisher(FeedPublisher log) {
      this.log = log;
    }

    @Override
    public synchronized Uni<Void> publish(List<PromisedTransaction> issued) {
      held.addAll(issued);
      return Uni.createFrom().voidItem();
    }

    synchronized void release() {
      log.publish(List.copyOf(held)).await().atMost(TestEngine.AWAIT);
      held.clear();
    }
  }
}
