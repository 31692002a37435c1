package io.preconf.infra;

import static io.preconf.core.testing.Samples.claim;
import static io.preconf.core.testing.Samples.preconfirmation;
import static io.preconf.core.testing.Samples.randomAddress;
import static io.preconf.core.testing.Samples.randomHash;
import static io.preconf.core.testing.Samples.uniqueChain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.error.Reason;
import io.preconf.core.error.RejectedException;
import io.preconf.core.port.LaneOutcome;
import io.preconf.core.port.LaneOutcome.AlreadyPreconfirmed;
import io.preconf.core.port.LaneOutcome.Assigned;
import io.preconf.core.port.LanePosition;
import io.preconf.core.testing.Samples;
import io.preconf.core.types.Address;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.preconf.infra.pg.PgPreconfirmations;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Stops and starts the real servers. They are servers of this test's own, on ports of their own, so
 * that nothing else using the usual ones (another module's tests) sees the outages.
 */
@QuarkusTest
@TestProfile(OutageTest.OwnServers.class)
class OutageTest {
  static final int REDIS_PORT = 6391;
  static final int PG_PORT = 5440;
  static final String REDIS = "127.0.0.1:" + REDIS_PORT;
  static final Duration FAIL_FAST = Duration.ofSeconds(5);
  private static final Logger LOG = Logger.getLogger(OutageTest.class);

  public static class OwnServers implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
      return LocalServers.ownServers(REDIS_PORT, PG_PORT);
    }
  }

  @Inject Redis redis;
  @Inject PgPreconfirmations pg;

  private static void servers(String command) {
    int rc = LocalServers.run(REDIS_PORT, PG_PORT, command);
    assumeThat(rc).as("servers.sh " + command + " (3: the server is not this script's)").isZero();
  }

  private Adapters adapters(String prefix) {
    return new Adapters(redis, REDIS, pg, prefix);
  }

  private static LanePosition assigned(LaneOutcome o) {
    assertThat(o).isInstanceOf(Assigned.class);
    return ((Assigned) o).position();
  }

  private static LanePosition claimOne(Adapters a, ChainId chain, Address sender, long nonce) {
    return assigned(
        a.lanes
            .claim(List.of(claim(chain, randomHash(), sender, nonce)), false)
            .await()
            .atMost(Adapters.AWAIT)
            .get(0));
  }

  /**
   * Runs {@code call}, expects BACKEND_UNAVAILABLE naming {@code server}, returns the time taken.
   */
  private static Duration failsFast(Uni<?> call, String server) {
    long start = System.nanoTime();
    assertThatThrownBy(() -> call.await().atMost(Duration.ofSeconds(30)))
        .isInstanceOfSatisfying(
            RejectedException.class,
            e -> {
              assertThat(e.rejection().reason()).isEqualTo(Reason.BACKEND_UNAVAILABLE);
              assertThat(e.getMessage()).contains(server);
            });
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    LOG.infof("failed in %d ms against %s", took.toMillis(), server);
    assertThat(took).isLessThan(FAIL_FAST);
    return took;
  }

  @Test
  void redisOutageFailsFastAndNothingIsLostOrDoubledOnceItIsBack() {
    Adapters a = adapters(Fixtures.uniquePrefix());
    ChainId chain = uniqueChain();
    Address sender = randomAddress();
    LanePosition first = claimOne(a, chain, sender, 0);
    Preconfirmation p1 = preconfirmation(first, sender, 0);
    a.store.record(Samples.kept(List.of(p1))).await().atMost(Adapters.AWAIT);
    a.feed.publish(Samples.kept(List.of(p1))).await().atMost(Adapters.AWAIT);

    servers("stop-redis");
    try {
      failsFast(a.lanes.claim(List.of(claim(chain, randomHash(), sender, 1)), false), REDIS);
      failsFast(a.lanes.abandon(List.of(first)), REDIS);
      failsFast(a.feed.publish(Samples.kept(List.of(p1))), REDIS);
      // The record is in PostgreSQL: lookups still answer, from there.
      assertThat(a.store.find(chain, p1.txHash()).await().atMost(FAIL_FAST)).contains(p1);
    } finally {
      servers("start-redis");
    }

    LanePosition second = claimOne(a, chain, sender, 1);
    assertThat(second.sequence()).isEqualTo(2);
    assertThat(second.previous()).isEqualTo(p1.txHash());
    assertThat(
            a.lanes
                .claim(List.of(claim(chain, p1.txHash(), sender, 0)), false)
                .await()
                .atMost(Adapters.AWAIT)
                .get(0))
        .isInstanceOf(AlreadyPreconfirmed.class);
    // A restarted engine process (new adapters, same Redis) continues the lane.
    assertThat(claimOne(adapters(a.keys.prefix()), chain, sender, 2).sequence()).isEqualTo(3);
  }

  @Test
  void postgresOutageFailsFastAndTheAbandonedTransactionIsTakenAgainOnceItIsBack() {
    Adapters a = adapters(Fixtures.uniquePrefix());
    ChainId chain = uniqueChain();
    Address sender = randomAddress();
    LanePosition first = claimOne(a, chain, sender, 0);
    Preconfirmation p1 = preconfirmation(first, sender, 0);
    a.store.record(Samples.kept(List.of(p1))).await().atMost(Adapters.AWAIT);
    // As the engine does next: the feed publish, which fills the cache.
    a.feed.publish(Samples.kept(List.of(p1))).await().atMost(Adapters.AWAIT);
    LanePosition second = claimOne(a, chain, sender, 1);
    Preconfirmation p2 = preconfirmation(second, sender, 1);

    servers("stop-pg");
    try {
      failsFast(a.store.record(Samples.kept(List.of(p2))), "127.0.0.1:" + PG_PORT);
      // What the engine does next: void the position, so the tx may come again.
      a.lanes.abandon(List.of(second)).await().atMost(FAIL_FAST.plusSeconds(5));
      // A recorded promise is still answered from the cache.
      assertThat(a.store.find(chain, p1.txHash()).await().atMost(FAIL_FAST)).contains(p1);
    } finally {
      servers("start-pg");
    }

    List<LaneOutcome> again =
        a.lanes
            .claim(List.of(claim(chain, p2.txHash(), sender, 1)), false)
            .await()
            .atMost(Adapters.AWAIT);
    LanePosition third = assigned(again.get(0));
    assertThat(third.sequence()).isEqualTo(3);
    Preconfirmation p3 = preconfirmation(third, sender, 1);
    a.store.record(Samples.kept(List.of(p3))).await().atMost(Adapters.AWAIT);
    assertThat(pg.lane(chain, 1, 10).await().atMost(Adapters.AWAIT)).containsExactly(p1, p3);
  }

  @Test
  void redisRestartWithoutDataRestoresEveryLaneFromPostgres() {
    String prefix = Fixtures.uniquePrefix();
    Adapters a = adapters(prefix);
    ChainId one = uniqueChain();
    ChainId two = uniqueChain();
    Address sender = randomAddress();
    Preconfirmation lastOnOne = null;
    for (int i = 0; i < 3; i++) {
      LanePosition p = claimOne(a, one, sender, i);
      lastOnOne = preconfirmation(p, sender, i);
      a.store
          .record(
              Samples.kept(
                  List.of(lastOnOne, preconfirmation(claimOne(a, two, sender, i), sender, i))))
          .await()
          .atMost(Adapters.AWAIT);
    }

    servers("wipe-redis");
    assertThat(a.command("EXISTS", a.keys.lane(one))).isEqualTo("0");

    Adapters restarted = adapters(prefix);
    LanePosition nextOnOne = claimOne(restarted, one, randomAddress(), 0);
    LanePosition nextOnTwo = claimOne(restarted, two, randomAddress(), 0);
    assertThat(nextOnOne.sequence()).isEqualTo(4);
    assertThat(nextOnOne.previous()).isEqualTo(lastOnOne.txHash());
    assertThat(nextOnTwo.sequence()).isEqualTo(4);
    assertThat(
            restarted
                .lanes
                .claim(List.of(claim(one, lastOnOne.txHash(), sender, 2)), false)
                .await()
                .atMost(Adapters.AWAIT)
                .get(0))
        .isInstanceOf(AlreadyPreconfirmed.class);
    // The feed log starts again after what PostgreSQL holds.
    Preconfirmation p4 = preconfirmation(nextOnOne, randomAddress(), 0);
    restarted.feed.publish(Samples.kept(List.of(p4))).await().atMost(Adapters.AWAIT);
    assertThat(restarted.feed.read(one, 1, 10).await().atMost(Adapters.AWAIT))
        .containsExactly(Samples.entry(p4));
  }

  @Test
  void aRedisThatHangsFailsWithinTheTimeoutAndAssignsNothingLate() throws Exception {
    Adapters a = adapters(Fixtures.uniquePrefix());
    ChainId chain = uniqueChain();
    Address sender = randomAddress();
    claimOne(a, chain, sender, 0);
    Hash32 tx = randomHash();

    a.command("CLIENT", "PAUSE", "3500", "ALL");
    long pausedAt = System.nanoTime();
    Duration took = failsFast(a.lanes.claim(List.of(claim(chain, tx, sender, 1)), false), REDIS);
    assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(1_900));
    Thread.sleep(Math.max(0, 3_800 - (System.nanoTime() - pausedAt) / 1_000_000));

    // The claim that waited out the pause ran after its deadline and took nothing.
    LanePosition p = claimOne(a, chain, sender, 1);
    assertThat(p.txHash()).isNotEqualTo(tx);
    assertThat(p.sequence()).isEqualTo(2);
    assertThat(
            a.lanes
                .claim(List.of(claim(chain, tx, randomAddress(), 0)), false)
                .await()
                .atMost(Adapters.AWAIT)
                .get(0))
        .isInstanceOf(Assigned.class);
  }

  @Test
  void aPostgresThatHangsFailsWithinTheTimeoutAndCommitsNothingLate() throws Exception {
    Adapters a = adapters(Fixtures.uniquePrefix());
    ChainId chain = uniqueChain();
    Address sender = randomAddress();
    Preconfirmation p = preconfirmation(claimOne(a, chain, sender, 0), sender, 0);
    Process lock =
        psql("begin; lock table commitments in access exclusive mode; select pg_sleep(5); commit;");
    try {
      Thread.sleep(500);
      Duration took = failsFast(a.store.record(Samples.kept(List.of(p))), "127.0.0.1:" + PG_PORT);
      assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(2_000));
    } finally {
      assertThat(lock.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    Thread.sleep(500);
    assertThat(pg.find(chain, p.txHash()).await().atMost(Adapters.AWAIT)).isEmpty();
    a.store.record(Samples.kept(List.of(p))).await().atMost(Adapters.AWAIT);
    assertThat(pg.find(chain, p.txHash()).await().atMost(Adapters.AWAIT)).contains(p);
  }

  @Test
  void aRecordWhoseLocksTookMostOfItsBudgetIsCutSoItNeverCommitsLate() throws Exception {
    Adapters a = adapters(Fixtures.uniquePrefix());
    ChainId chain = uniqueChain();
    Address sender = randomAddress();
    LanePosition position = claimOne(a, chain, sender, 0);
    Preconfirmation p = preconfirmation(position, sender, 0);
    // The position's lock is held for 1.5 s, then the commitments table until 3.8 s: past the
    // call's 3 s, yet before a record statement given the whole budget again would give up.
    Process positionLock =
        psql(
            "begin; select pg_advisory_xact_lock(hashtextextended('"
                + chain.value()
                + ":"
                + position.sequence()
                + "', 0)); select pg_sleep(1.5); commit;");
    Process tableLock =
        psql(
            "begin; lock table commitments in access exclusive mode; select pg_sleep(3.8); commit;");
    try {
      Thread.sleep(500);
      failsFast(a.store.record(Samples.kept(List.of(p))), "127.0.0.1:" + PG_PORT);
    } finally {
      assertThat(positionLock.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(tableLock.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    Thread.sleep(500);
    assertThat(pg.find(chain, p.txHash()).await().atMost(Adapters.AWAIT)).isEmpty();
  }

  private static Process psql(String sql) throws IOException {
    return new ProcessBuilder(
            "/usr/lib/postgresql/15/bin/psql",
            "-h",
            "127.0.0.1",
            "-p",
            Integer.toString(PG_PORT),
            "-U",
            "postgres",
            "-d",
            "preconf",
            "-c",
            sql)
        .redirectErrorStream(true)
        .start();
  }
}
