package io.preconf.infra;

import static io.preconf.core.testing.Samples.claim;
import static io.preconf.core.testing.Samples.randomAddress;
import static io.preconf.core.testing.Samples.randomHash;
import static io.preconf.core.testing.Samples.uniqueChain;
import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.port.LaneClaim;
import io.preconf.core.port.LaneOutcome;
import io.preconf.core.port.LaneOutcome.AlreadyPreconfirmed;
import io.preconf.core.port.LaneOutcome.Assigned;
import io.preconf.core.port.LanePosition;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.preconf.infra.pg.PgPreconfirmations;
import io.preconf.infra.redis.LaneHolders;
import io.preconf.infra.redis.RedisLaneSequencer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a process that died mid-request held is released in seconds: a resubmission of its
 * transaction gets a new position at once, and the sweeper voids it before the preconfirm deadline;
 * a live process's positions are left alone.
 */
@QuarkusTest
@WithTestResource(LocalServers.class)
class LaneHoldersTest {
  private static final Duration SHORT_LIFE = Duration.ofMillis(300);

  @Inject Redis redis;
  @Inject PgPreconfirmations pg;

  Adapters a;

  @BeforeEach
  void ownPrefix() {
    // A busy machine (several builds at once) must not turn a claim into a late one.
    a = new Adapters(redis, "127.0.0.1:6390", pg, Fixtures.uniquePrefix(), Duration.ofSeconds(10));
    pg.snapshot(uniqueChain(), 0).onFailure().retry().atMost(5).await().atMost(Adapters.AWAIT);
  }

  /** A process of its own over the same Redis, alive for {@code liveFor} after each claim. */
  private RedisLaneSequencer process(Duration liveFor) {
    return process(new LaneHolders(a.redis, a.keys, liveFor));
  }

  /** A process of its own over the same Redis, holding as {@code holders}. */
  private RedisLaneSequencer process(LaneHolders holders) {
    return new RedisLaneSequencer(
        a.redis, a.keys, pg, Duration.ofHours(1), Adapters.CLAIM_TTL, a.feed, holders);
  }

  /** The time to live of a process's live key, in ms. */
  private long liveLeft(LaneHolders holders) {
    return Long.parseLong(a.command("PTTL", a.keys.live(holders.id())));
  }

  private static List<LaneOutcome> claimOn(
      RedisLaneSequencer lanes, boolean atomic, LaneClaim... claims) {
    return lanes.claim(List.of(claims), atomic).await().atMost(Adapters.AWAIT);
  }

  private static LanePosition assigned(LaneOutcome o) {
    assertThat(o).isInstanceOf(Assigned.class);
    return ((Assigned) o).position();
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aTransactionADeadProcessHeldIsClaimedAgainAtOnce() {
    ChainId chain = uniqueChain();
    LaneClaim tx = claim(chain, randomHash(), randomAddress(), 0);
    LanePosition first = assigned(claimOn(process(SHORT_LIFE), false, tx).get(0));
    sleep(SHORT_LIFE.multipliedBy(2)); // the process is gone: its heartbeat has lapsed

    LanePosition again = assigned(claimOn(process(Duration.ofMinutes(1)), false, tx).get(0));

    assertThat(again.sequence()).isEqualTo(first.sequence() + 1);
    assertThat(again.previous()).isEqualTo(tx.txHash());
    assertThat(a.command("HGET", a.keys.voids(chain), Long.toString(first.sequence())))
        .isEqualTo(tx.txHash().toHex());
  }

  @Test
  void aTransactionALiveProcessHoldsStaysHeld() {
    ChainId chain = uniqueChain();
    LaneClaim tx = claim(chain, randomHash(), randomAddress(), 0);
    RedisLaneSequencer holder = process(Duration.ofMinutes(1));
    assigned(claimOn(holder, false, tx).get(0));

    assertThat(claimOn(process(SHORT_LIFE), false, tx).get(0))
        .isInstanceOf(AlreadyPreconfirmed.class);
    assertThat(a.command("HLEN", a.keys.voids(chain))).isEqualTo("0");
  }

  @Test
  void theClaimMarksWhatItAssignsAndItsProcessAliveInTheSameStep() {
    ChainId chain = uniqueChain();
    LaneClaim tx = claim(chain, randomHash(), randomAddress(), 0);
    LaneHolders holders = new LaneHolders(a.redis, a.keys, Duration.ofMinutes(1));
    RedisLaneSequencer lanes = process(holders);

    LanePosition p = assigned(claimOn(lanes, false, tx).get(0));

    assertThat(a.command("HGET", a.keys.tx(chain, tx.txHash()), "seq"))
        .isEqualTo(Long.toString(p.sequence()));
    assertThat(a.command("HGET", a.keys.tx(chain, tx.txHash()), "holder")).isEqualTo(holders.id());
    assertThat(liveLeft(holders)).isBetween(1L, Duration.ofMinutes(1).toMillis());
  }

  @Test
  void aClaimLeavesALiveKeyWithMoreThanHalfItsLifeLeftAsItIs() {
    // As the heartbeat leaves it a little later: more than half of its minute left. Not written
    // again: a write would be one more append to Redis's AOF per claim.
    assertThat(liveLeftAfterAClaimThatFinds(40_000)).isBetween(1L, 40_000L);
  }

  @Test
  void aClaimRenewsALiveKeyWithLessThanHalfItsLifeLeft() {
    // The heartbeat has fallen behind.
    assertThat(liveLeftAfterAClaimThatFinds(20_000)).isGreaterThan(30_000L);
  }

  /**
   * What is left of the live key of a process alive for a minute after a claim that found {@code
   * leftMs} of it left.
   */
  private long liveLeftAfterAClaimThatFinds(long leftMs) {
    LaneHolders holders = new LaneHolders(a.redis, a.keys, Duration.ofMinutes(1));
    RedisLaneSequencer lanes = process(holders);
    ChainId chain = uniqueChain();
    assigned(claimOn(lanes, false, claim(chain, randomHash(), randomAddress(), 0)).get(0));
    a.command("PEXPIRE", a.keys.live(holders.id()), Long.toString(leftMs));

    assigned(claimOn(lanes, false, claim(chain, randomHash(), randomAddress(), 0)).get(0));
    return liveLeft(holders);
  }

  @Test
  void aProcessThatNeverClaimedWritesNoHeartbeat() {
    LaneHolders holders = new LaneHolders(a.redis, a.keys, Duration.ofMinutes(1));
    RedisLaneSequencer lanes = process(holders);

    holders.heartbeat().await().atMost(Adapters.AWAIT);
    assertThat(a.command("EXISTS", a.keys.live(holders.id()))).isEqualTo("0");

    assigned(claimOn(lanes, false, claim(uniqueChain(), randomHash(), randomAddress(), 0)).get(0));
    a.command("DEL", a.keys.live(holders.id()));
    holders.heartbeat().await().atMost(Adapters.AWAIT);
    assertThat(liveLeft(holders)).isGreaterThan(30_000L);
  }

  @Test
  void anUnmarkedPositionIsTakenForOrphanedOnlyOnceOlderThanTheHolderTtl() {
    ChainId chain = uniqueChain();
    LaneClaim tx = claim(chain, randomHash(), randomAddress(), 0);
    LanePosition first = assigned(claimOn(process(Duration.ofMinutes(1)), false, tx).get(0));
    // A position with no mark, as one restored from the durable store has.
    a.command("HDEL", a.keys.tx(chain, tx.txHash()), "holder");
    RedisLaneSequencer other = process(Duration.ofSeconds(5));

    assertThat(claimOn(other, false, tx).get(0)).isInstanceOf(AlreadyPreconfirmed.class);

    a.backdate(first, Duration.ofSeconds(6));
    assertThat(assigned(claimOn(other, false, tx).get(0)).sequence())
        .isEqualTo(first.sequence() + 1);
  }

  @Test
  void anAtomicRequestWithAnOrphanedLegIsClaimedWholeInOneStep() {
    ChainId chain = uniqueChain();
    LaneClaim orphan = claim(chain, randomHash(), randomAddress(), 0);
    assigned(claimOn(process(SHORT_LIFE), false, orphan).get(0));
    sleep(SHORT_LIFE.multipliedBy(2));
    LaneClaim fresh = claim(chain, randomHash(), randomAddress(), 0);

    List<LaneOutcome> o = claimOn(process(Duration.ofMinutes(1)), true, fresh, orphan);

    // The first claim gave `fresh` sequence 2 and found `orphan` held; that one was voided with
    // the orphan's, and both legs were claimed again together.
    assertThat(assigned(o.get(0)).sequence()).isEqualTo(3);
    assertThat(assigned(o.get(1)).sequence()).isEqualTo(4);
    assertThat(a.command("HLEN", a.keys.voids(chain))).isEqualTo("2");
  }

  @Test
  void theSweeperVoidsWhatADeadProcessHeldLongBeforeTheDeadline() {
    ChainId chain = uniqueChain();
    Hash32 dead = randomHash();
    Hash32 alive = randomHash();
    LanePosition gone =
        assigned(
            claimOn(process(SHORT_LIFE), false, claim(chain, dead, randomAddress(), 0)).get(0));
    assigned(
        claimOn(process(Duration.ofMinutes(1)), false, claim(chain, alive, randomAddress(), 0))
            .get(0));
    sleep(SHORT_LIFE.multipliedBy(2));

    List<LanePosition> voided =
        process(Duration.ofMinutes(1))
            .sweep(chain, Duration.ofHours(1))
            .await()
            .atMost(Adapters.AWAIT);

    assertThat(voided).extracting(LanePosition::sequence).containsExactly(gone.sequence());
  }
}
