package io.preconf.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.port.FeedPublisher;
import io.preconf.infra.redis.RedisCommands;
import io.preconf.infra.redis.RedisKeys;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Reconnecting with {@code from}: the missed entries exactly, then live ones, from any source. */
@QuarkusTest
@WithTestResource(FeedServers.class)
class ResumeTest extends FeedTestBase {
  @Inject RedisCommands redis;
  @Inject RedisKeys keys;
  @Inject MeterRegistry registry;

  @Test
  void reconnectingWithFromGetsExactlyTheMissedEntriesThenLiveOnes() {
    FeedClient first = subscribe("chainId=" + alpha);
    awaitSubscribers(node, 1);
    List<Long> seen = sequences(engine().issue(alpha, 5), alpha);
    awaitReceived(first, alpha, 5);
    assertThat(first.sequences(alpha.value())).isEqualTo(seen);
    first.close();

    List<Long> missed = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      missed.addAll(sequences(engine().issue(alpha, 2), alpha));
    }
    long from = seen.get(seen.size() - 1) + 1;
    FeedClient again = subscribe("chainId=" + alpha + "&from=" + from);
    awaitReceived(again, alpha, missed.size());
    List<Long> live = sequences(engine().issue(alpha, 3), alpha);
    awaitReceived(again, alpha, missed.size() + live.size());
    settle();

    List<Long> expected = new ArrayList<>(missed);
    expected.addAll(live);
    assertThat(again.sequences(alpha.value())).isEqualTo(expected);
  }

  @Test
  void replayHandsOverToLiveWithoutGapOrDuplicateWhileTheLaneMoves() throws Exception {
    List<Long> before = sequences(engine().issue(alpha, 30), alpha);
    CompletableFuture<List<Long>> moving =
        CompletableFuture.supplyAsync(
            () -> {
              List<Long> out = new ArrayList<>();
              for (int i = 0; i < 40; i++) {
                out.addAll(sequences(engine().issue(alpha, 1), alpha));
              }
              return out;
            });
    FeedClient.sleep(100);
    FeedClient replaying = subscribe("chainId=" + alpha + "&from=" + before.get(0));
    List<Long> during = moving.get();
    List<Long> expected = new ArrayList<>(before);
    expected.addAll(during);

    awaitReceived(replaying, alpha, expected.size());
    settle();
    assertThat(replaying.sequences(alpha.value())).isEqualTo(expected);
  }

  @Test
  void replayOfEntriesTrimmedFromRedisComesFromPostgres() {
    List<Long> issued = sequences(engine().issue(alpha, 12), alpha);
    long last = issued.get(issued.size() - 1);
    awaitLogged(last);
    // What MAXLEN does to an old lane, done now: everything before the last entry is gone.
    send(Request.cmd(Command.XTRIM).arg(keys.feed(alpha)).arg("MINID").arg(last + "-0"));
    Response left = send(Request.cmd(Command.XRANGE).arg(keys.feed(alpha)).arg("-").arg("+"));
    assertThat(left.size()).isEqualTo(1);
    double fromStoreBefore = fromStore();

    FeedClient replaying = subscribe("chainId=" + alpha + "&from=" + issued.get(0));
    awaitReceived(replaying, alpha, issued.size());
    List<Long> live = sequences(engine().issue(alpha, 2), alpha);
    awaitReceived(replaying, alpha, issued.size() + live.size());
    settle();

    List<Long> expected = new ArrayList<>(issued);
    expected.addAll(live);
    assertThat(replaying.sequences(alpha.value())).isEqualTo(expected);
    assertThat(fromStore() - fromStoreBefore)
        .as("entries read from PostgreSQL")
        .isGreaterThanOrEqualTo(issued.size() - 1);
  }

  @Test
  void aSequenceMissingInsideTheRedisLogIsFilledFromPostgres() {
    List<Long> issued = sequences(engine().issue(alpha, 6), alpha);
    awaitLogged(issued.get(issued.size() - 1));
    send(Request.cmd(Command.XDEL).arg(keys.feed(alpha)).arg(issued.get(2) + "-0"));

    FeedClient replaying = subscribe("chainId=" + alpha + "&from=" + issued.get(0));
    awaitReceived(replaying, alpha, issued.size());
    settle();
    assertThat(replaying.sequences(alpha.value())).isEqualTo(issued);
  }

  @Test
  void liveSubscribersGetAnEntryWhosePublishFailedFromPostgresInItsPlace() {
    FeedClient live = subscribe("chainId=" + alpha);
    awaitSubscribers(node, 1);
    FeedPublisher dropping = issued -> Uni.createFrom().failure(new IllegalStateException("lost"));
    TestEngine lossy = new TestEngine(node.chains(), lanes, store, dropping);

    List<Long> expected = new ArrayList<>(sequences(engine().issue(alpha, 2), alpha));
    List<Preconfirmation> unpublished = lossy.issue(alpha, 2);
    expected.addAll(sequences(unpublished, alpha));
    expected.addAll(sequences(engine().issue(alpha, 2), alpha));

    // The log holds the last two back until its gap wait is over, then moves on past the two
    // that never came; the node reads those from PostgreSQL.
    awaitReceived(live, alpha, expected.size());
    settle();
    assertThat(live.sequences(alpha.value())).isEqualTo(expected);
  }

  /**
   * Waits until the lane's Redis log holds {@code sequence}: an answer does not wait for its
   * publish, so the entry lands just after it.
   */
  private void awaitLogged(long sequence) {
    String id = sequence + "-0";
    long until = System.nanoTime() + FeedClient.WAIT.toNanos();
    while (send(Request.cmd(Command.XRANGE).arg(keys.feed(alpha)).arg(id).arg(id)).size() == 0) {
      assertThat(System.nanoTime()).as("sequence %d in the lane's log", sequence).isLessThan(until);
      FeedClient.sleep(20);
    }
  }

  private Response send(Request r) {
    return redis.send("test", r).await().atMost(TestEngine.AWAIT);
  }

  private double fromStore() {
    var c = registry.find("preconf.feed.store.entries").tag("chain", alpha.toString()).counter();
    return c == null ? 0 : c.count();
  }
}
