package io.preconf.infra;

import static io.preconf.core.testing.Samples.claim;
import static io.preconf.core.testing.Samples.preconfirmation;
import static io.preconf.core.testing.Samples.randomAddress;
import static io.preconf.core.testing.Samples.randomHash;
import static io.preconf.core.testing.Samples.uniqueChain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.error.Reason;
import io.preconf.core.error.RejectedException;
import io.preconf.core.feed.LaneEntry;
import io.preconf.core.port.LaneOutcome;
import io.preconf.core.port.LanePosition;
import io.preconf.core.testing.Samples;
import io.preconf.core.types.Address;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.preconf.infra.pg.PgPreconfirmations;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Open positions nobody will record: swept ones are voided in PostgreSQL and Redis, a late record
 * of one is refused, a recorded one is never voided, and a claim whose answer came too late is
 * reconciled at once.
 */
@QuarkusTest
@WithTestResource(LocalServers.class)
class LaneSweepTest {
  private static final Duration MINUTE = Duration.ofMinutes(1);

  @Inject Redis redis;
  @Inject PgPreconfirmations pg;
  @Inject Pool pool;

  Adapters a;

  @BeforeEach
  void ownPrefix() {
    a = new Adapters(redis, "127.0.0.1:6390", pg, Fixtures.uniquePrefix());
    pg.snapshot(uniqueChain(), 0).onFailure().retry().atMost(5).await().atMost(Adapters.AWAIT);
  }

  @Test
  void anOrphanedPositionIsSweptAndTheFeedStepsOverItWithAVoidEntry() {
    ChainId chain = uniqueChain();
    LanePosition orphan = claimNew(a, chain);
    a.backdate(orphan, Duration.ofMinutes(2));

    List<LanePosition> swept = await(a.lanes.sweep(chain, MINUTE));
    Preconfirmation next = preconfirmation(claimNew(a, chain), randomAddress(), 0);
    await(a.store.record(Samples.kept(List.of(next))));
    await(a.feed.publish(Samples.kept(List.of(next))));

    assertThat(swept).extracting(LanePosition::sequence).containsExactly(orphan.sequence());
    List<LaneEntry> log = await(a.feed.read(chain, 1, 10));
    assertThat(log).hasSize(2);
    assertThat(log.get(0)).isEqualTo(new LaneEntry.Void(orphan.sequence(), orphan.txHash()));
    assertThat(log.get(1).sequence()).isEqualTo(orphan.sequence() + 1);
    assertThat(a.command("HLEN", a.keys.open(chain))).isEqualTo("0");
    assertThat(await(pg.snapshot(chain, 0)).sequence()).isEqualTo(orphan.sequence() + 1);
  }

  @Test
  void aLateRecordOfASweptPositionIsRefusedAndNothingIsPromisedTwice() {
    ChainId chain = uniqueChain();
    Address sender = randomAddress();
    Hash32 tx = randomHash();
    LanePosition first = assigned(a, claim(chain, tx, sender, 0));
    Preconfirmation lateOne = preconfirmation(first, sender, 0);
    a.backdate(first, Duration.ofMinutes(2));
    await(a.lanes.sweep(chain, MINUTE));

    Throwable late = catchThrowable(() -> await(a.store.record(Samples.kept(List.of(lateOne)))));
    LanePosition again = assigned(a, claim(chain, tx, sender, 0));
    await(a.store.record(Samples.kept(List.of(preconfirmation(again, sender, 0)))));
    Throwable later = catchThrowable(() -> await(a.store.record(Samples.kept(List.of(lateOne)))));

    assertThat(late).isInstanceOf(RejectedException.class);
    assertThat(((RejectedException) late).rejection().reason()).isEqualTo(Reason.TIMEOUT);
    assertThat(late.getMessage()).contains("sequence " + first.sequence() + " on chain " + chain);
    assertThat(later).isInstanceOf(RejectedException.class);
    assertThat(again.sequence()).isEqualTo(first.sequence() + 1);
    assertThat(await(a.store.find(chain, tx)))
        .map(p -> p.leaf().sequence())
        .contains(again.sequence());
    assertThat(await(a.feed.read(chain, 1, 10)))
        .containsExactly(new LaneEntry.Void(first.sequence(), tx));
  }

  @Test
  void aRecordWithOneSweptPositionWritesNothingAndTheNextRecordCommits() {
    ChainId chain = uniqueChain();
    Address sender = randomAddress();
    LanePosition swept = claimNew(a, chain);
    a.backdate(swept, Duration.ofMinutes(2));
    await(a.lanes.sweep(chain, MINUTE));
    Preconfirmation late = preconfirmation(swept, randomAddress(), 0);
    Preconfirmation fresh = preconfirmation(claimNew(a, chain), sender, 0);

    Throwable refused = catchThrowable(() -> await(pg.record(Samples.kept(List.of(fresh, late)))));

    assertThat(refused).isInstanceOf(RejectedException.class);
    assertThat(((RejectedException) refused).rejection().reason()).isEqualTo(Reason.TIMEOUT);
    assertThat(refused.getMessage())
        .contains("sequence " + swept.sequence() + " on chain " + chain);
    // The round's other promise and both commitments were not written either.
    assertThat(await(pg.find(chain, fresh.txHash()))).isEmpty();
    for (Preconfirmation p : List.of(fresh, late)) {
      assertThat(rows("select count(*) from commitments where root = $1", p.commitment().root()))
          .isZero();
    }
    // Its transaction ended with it: the same pool records the fresh one on its own at once.
    await(pg.record(Samples.kept(List.of(fresh))));
    assertThat(await(pg.find(chain, fresh.txHash()))).contains(fresh);
  }

  @Test
  void aRecordedPositionIsNeverSwept() {
    ChainId chain = uniqueChain();
    Address sender = randomAddress();
    LanePosition held = claimNew(a, chain);
    Preconfirmation recorded = preconfirmation(held, sender, 0);
    await(a.store.record(Samples.kept(List.of(recorded))));
    a.backdate(held, Duration.ofMinutes(2));

    assertThat(await(a.lanes.sweep(chain, MINUTE))).isEmpty();
    assertThat(a.command("HGET", a.keys.voids(chain), Long.toString(held.sequence()))).isNull();
    assertThat(a.command("HGET", a.keys.tx(chain, held.txHash()), "seq"))
        .isEqualTo(Long.toString(held.sequence()));
    // Publishing it later still works: it was never voided.
    await(a.feed.publish(Samples.kept(List.of(recorded))));
    assertThat(await(a.feed.read(chain, 1, 10)))
        .extracting(LaneEntry::sequence)
        .containsExactly(held.sequence());
  }

  @Test
  void aClaimWhoseAnswerArrivesAfterTheTimeoutIsVoidedAtOnce() {
    ChainId chain = uniqueChain();
    LateAnswers late = new LateAnswers(redis, Duration.ofMillis(300));
    Adapters slow =
        new Adapters(late, "127.0.0.1:6390", pg, a.keys.prefix(), Duration.ofMillis(100));
    claimNew(slow, chain); // seeds the lane, so that the late claim is a single script
    Hash32 tx = randomHash();
    late.delayNextScripts(1);

    Throwable failed =
        catchThrowable(
            () -> await(slow.lanes.claim(List.of(claim(chain, tx, randomAddress(), 0)), false)));

    assertThat(failed).isInstanceOf(RejectedException.class);
    assertThat(((RejectedException) failed).rejection().reason())
        .isEqualTo(Reason.BACKEND_UNAVAILABLE);
    assertThat(a.command("HGET", a.keys.voids(chain), "2")).isEqualTo(tx.toHex());
    assertThat(a.command("EXISTS", a.keys.tx(chain, tx))).isEqualTo("0");
  }

  @Test
  void afterAnOverloadOfLateAnswersNoPositionStaysOpen() {
    ChainId chain = uniqueChain();
    // Every script's answer comes after the client gave up, and so does every reconciliation's:
    // only the sweep is left to void what the scripts assigned.
    LateAnswers late = new LateAnswers(redis, Duration.ofMillis(700));
    Adapters slow =
        new Adapters(late, "127.0.0.1:6390", pg, a.keys.prefix(), Duration.ofMillis(500));
    claimNew(a, chain);
    late.delayNextScripts(Integer.MAX_VALUE);
    late.delayBatches(true);
    List<Uni<List<LaneOutcome>>> burst = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      burst.add(
          slow.lanes
              .claim(List.of(claim(chain, randomHash(), randomAddress(), 0)), false)
              .onFailure()
              .recoverWithItem(List.of()));
    }
    await(Uni.join().all(burst).andCollectFailures());
    late.delayNextScripts(0);
    late.delayBatches(false);
    long assigned = Long.parseLong(a.command("HGET", a.keys.lane(chain), "seq")) - 1;
    assertThat(assigned).as("positions the late scripts assigned").isPositive();

    letPass(Duration.ofMillis(500));
    await(a.lanes.sweep(chain, Duration.ofMillis(400)));

    // The first position is recorded nowhere either, being the test's seed: it is swept too.
    assertThat(a.command("HLEN", a.keys.open(chain))).isEqualTo("0");
    assertThat(Long.parseLong(a.command("HLEN", a.keys.voids(chain)))).isEqualTo(assigned + 1);
  }

  private long rows(String sql, Hash32 parameter) {
    return await(pool.preparedQuery(sql).execute(Tuple.of(parameter.toHex())))
        .iterator()
        .next()
        .getLong(0);
  }

  private static LanePosition claimNew(Adapters on, ChainId chain) {
    return assigned(on, claim(chain, randomHash(), randomAddress(), 0));
  }

  private static LanePosition assigned(Adapters on, io.preconf.core.port.LaneClaim c) {
    LaneOutcome o = await(on.lanes.claim(List.of(c), false)).get(0);
    assertThat(o).isInstanceOf(LaneOutcome.Assigned.class);
    return ((LaneOutcome.Assigned) o).position();
  }

  private static void letPass(Duration time) {
    try {
      Thread.sleep(time.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static <T> T await(Uni<T> uni) {
    return uni.await().atMost(Adapters.AWAIT);
  }

  /**
   * Redis whose answers to scripts (and, when asked, to batches) arrive late: the commands run at
   * once, as on a server whose replies queue behind an overload.
   */
  static final class LateAnswers extends Redis {
    private final Redis redis;
    private final Duration delay;
    private final AtomicInteger lateScripts = new AtomicInteger();
    private volatile boolean lateBatches;

    LateAnswers(Redis redis, Duration delay) {
      super(redis.getDelegate());
      this.redis = redis;
      this.delay = delay;
    }

    void delayNextScripts(int n) {
      lateScripts.set(n);
    }

    void delayBatches(boolean late) {
      lateBatches = late;
    }

    @Override
    public Uni<Response> send(Request request) {
      // The Mutiny wrappers are made afresh on each call: compare what they wrap.
      Object c = request.command().getDelegate();
      boolean script =
          c.equals(Command.EVALSHA.getDelegate()) || c.equals(Command.EVAL.getDelegate());
      if (script && lateScripts.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        return redis.send(request).onItem().delayIt().by(delay);
      }
      return redis.send(request);
    }

    @Override
    public Uni<List<Response>> batch(List<Request> requests) {
      Uni<List<Response>> answer = redis.batch(requests);
      return lateBatches ? answer.onItem().delayIt().by(delay) : answer;
    }
  }
}
