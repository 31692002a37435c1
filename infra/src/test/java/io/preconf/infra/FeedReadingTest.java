package io.preconf.infra;

import static io.preconf.core.testing.Samples.randomHash;
import static io.preconf.core.testing.Samples.uniqueChain;
import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.commit.Status;
import io.preconf.core.commit.StatusChange;
import io.preconf.core.feed.FeedSignal.Moved;
import io.preconf.core.feed.FeedSignal.Watch;
import io.preconf.core.feed.LaneEntry;
import io.preconf.core.feed.StatusStream;
import io.preconf.core.port.LanePosition;
import io.preconf.core.testing.Samples;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.preconf.infra.pg.PgCalls;
import io.preconf.infra.pg.PgLaneLog;
import io.preconf.infra.pg.PgPreconfirmations;
import io.preconf.infra.redis.RedisFeedSignal;
import io.preconf.infra.redis.RedisStatusLog;
import io.preconf.infra.redis.RedisStatusStream;
import io.preconf.wire.StatusChangeCodec;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The feed's read side on real Redis and PostgreSQL: the wake-up over many lanes, the status stream
 * with senders, moving a stalled log on, and the lane archive.
 */
@QuarkusTest
@WithTestResource(LocalServers.class)
class FeedReadingTest {
  private static final Duration BLOCK = Duration.ofSeconds(5);

  @Inject Redis redis;
  @Inject PgPreconfirmations pg;
  @Inject Mutiny.SessionFactory sessions;
  @Inject PgCalls pgCalls;

  Adapters a;
  ChainId one;
  ChainId two;
  RedisFeedSignal signal;
  RedisStatusLog statusLog;
  PgLaneLog archive;
  RedisStatusStream statuses;

  @BeforeEach
  void ownLanes() {
    a = new Adapters(redis, "127.0.0.1:6390", pg, Fixtures.uniquePrefix());
    one = uniqueChain();
    two = uniqueChain();
    signal = new RedisFeedSignal(a.redis, a.keys, a.feed);
    statusLog = new RedisStatusLog(a.redis, a.keys, 10_000);
    archive = new PgLaneLog(sessions, pgCalls);
    statuses = new RedisStatusStream(statusLog, archive);
  }

  private List<Preconfirmation> issue(ChainId chain, int n) {
    return a.issue(chain, n);
  }

  private static <T> T await(Uni<T> uni) {
    return uni.await().atMost(Adapters.AWAIT);
  }

  private List<Watch> fromTheStart() {
    return List.of(new Watch(one, 0, "0-0"), new Watch(two, 0, "0-0"));
  }

  @Test
  void aWaitAnswersWithTheNewEntriesOfTheLogThatMoved() {
    List<Preconfirmation> p = issue(two, 3);
    await(a.feed.publish(Samples.kept(p)));

    List<Moved> moved = await(signal.await(fromTheStart(), 2, BLOCK));

    assertThat(moved).hasSize(1);
    Moved.Log log = (Moved.Log) moved.get(0);
    assertThat(log.watch()).as("the second watch's lane").isEqualTo(1);
    assertThat(log.news().first()).isEqualTo(1);
    assertThat(log.news().entries())
        .as("up to the wait's max")
        .containsExactly(Samples.entry(p.get(0)), Samples.entry(p.get(1)));
  }

  @Test
  void aWaitStartsAfterWhatTheLaneHasSeen() {
    await(a.feed.publish(Samples.kept(issue(one, 3))));

    List<Moved> moved = await(signal.await(List.of(new Watch(one, 2, "0-0")), 10, BLOCK));

    assertThat(moved).hasSize(1);
    assertThat(((Moved.Log) moved.get(0)).news().first()).isEqualTo(3);
    assertThat(((Moved.Log) moved.get(0)).news().entries())
        .extracting(LaneEntry::sequence)
        .containsExactly(3L);
  }

  @Test
  void aWaitWithNothingNewAnswersNothingOnceItsTimeIsUp() {
    long started = System.nanoTime();

    List<Moved> moved = await(signal.await(fromTheStart(), 10, Duration.ofMillis(300)));

    assertThat(moved).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofMillis(250));
  }

  @Test
  void aStatusChangeWakesItsLanesWatch() {
    await(statusLog.publish(List.of(change(two, randomHash(), 1))));

    List<Moved> moved = await(signal.await(fromTheStart(), 10, BLOCK));

    assertThat(moved).containsExactly(new Moved.Status(1));
  }

  @Test
  void statusChangesComeWithTheSenderOfTheirTransaction() {
    Preconfirmation recorded = issue(one, 1).get(0);
    await(a.store.record(Samples.kept(List.of(recorded))));
    String start = await(statuses.newest(one));
    StatusChange known = change(one, recorded.txHash(), recorded.sequence());
    StatusChange unknown = change(one, randomHash(), 99);
    await(statusLog.publish(List.of(known, unknown)));

    StatusStream.Batch all = await(statuses.readAfter(one, start, 10));

    assertThat(all.changes())
        .containsExactly(
            new StatusStream.Change(recorded.leaf().sender(), StatusChangeCodec.toJson(known)),
            new StatusStream.Change(null, StatusChangeCodec.toJson(unknown)));
    assertThat(all.full()).isFalse();
    assertThat(all.next()).isEqualTo(await(statuses.newest(one)));
    StatusStream.Batch none = await(statuses.readAfter(one, all.next(), 10));
    assertThat(none.changes()).isEmpty();
    assertThat(none.next()).isEqualTo(all.next());

    StatusStream.Batch first = await(statuses.readAfter(one, start, 1));
    assertThat(first.changes()).hasSize(1);
    assertThat(first.full()).isTrue();
    assertThat(await(statuses.readAfter(one, first.next(), 10)).changes())
        .containsExactly(new StatusStream.Change(null, StatusChangeCodec.toJson(unknown)));
  }

  @Test
  void movingOnLetsAStalledLogPastAMissingSequenceOnceItsWaitIsOver() throws InterruptedException {
    List<Preconfirmation> p = issue(one, 3);
    await(
        a.feed.publish(
            Samples.kept(List.of(p.get(0), p.get(2))))); // the publish of sequence 2 is lost
    await(a.feed.moveOn(List.of(one, two)));
    assertThat(await(a.feed.read(one, 1, 10))).extracting(LaneEntry::sequence).containsExactly(1L);

    Thread.sleep(Adapters.GAP_WAIT.toMillis() + 100);
    await(a.feed.moveOn(List.of(one, two)));

    assertThat(await(a.feed.read(one, 1, 10)))
        .extracting(LaneEntry::sequence)
        .containsExactly(1L, 3L);
  }

  @Test
  void theArchiveHoldsRecordedAndVoidSequencesInLaneOrder() {
    List<Preconfirmation> p = issue(one, 3);
    await(a.store.record(Samples.kept(List.of(p.get(0), p.get(2)))));
    Preconfirmation lost = p.get(1);
    await(
        a.lanes.abandon(
            List.of(
                new LanePosition(
                    one, lost.txHash(), 2, lost.leaf().previous(), lost.leaf().receivedAt()))));

    assertThat(await(archive.read(one, 1, 3, 10)))
        .containsExactly(
            Samples.entry(p.get(0)), new LaneEntry.Void(2, lost.txHash()), Samples.entry(p.get(2)));
    assertThat(await(archive.read(one, 2, 3, 1)))
        .extracting(LaneEntry::sequence)
        .containsExactly(2L);
    assertThat(await(archive.lastSequence(one))).isEqualTo(3);
    assertThat(await(archive.lastSequence(two))).isZero();
  }

  private static StatusChange change(ChainId chain, Hash32 tx, long sequence) {
    return new StatusChange(
        chain, tx, sequence, Status.INCLUDED, null, null, System.currentTimeMillis());
  }
}
