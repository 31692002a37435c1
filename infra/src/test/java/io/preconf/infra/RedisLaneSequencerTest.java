package io.preconf.infra;

import static io.preconf.core.testing.Samples.claim;
import static io.preconf.core.testing.Samples.randomAddress;
import static io.preconf.core.testing.Samples.randomHash;
import static io.preconf.core.testing.Samples.uniqueChain;
import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.port.LaneOutcome;
import io.preconf.core.port.LaneOutcome.Refused;
import io.preconf.core.port.LaneOutcome.Skipped;
import io.preconf.core.port.LanePosition;
import io.preconf.core.port.LaneSequencer;
import io.preconf.core.port.LaneSequencerContract;
import io.preconf.core.testing.Samples;
import io.preconf.core.types.Address;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.preconf.infra.pg.PgPreconfirmations;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The lane contract against Redis (claim.lua, abandon.lua), and what only Redis has: the void
 * positions the feed log steps over, claims that lapse, and lanes restored from PostgreSQL.
 */
@QuarkusTest
@WithTestResource(LocalServers.class)
class RedisLaneSequencerTest extends LaneSequencerContract {
  @Inject Redis redis;
  @Inject PgPreconfirmations pg;

  Adapters a;

  @BeforeEach
  void ownPrefix() {
    a = new Adapters(redis, "127.0.0.1:6390", pg, Fixtures.uniquePrefix());
    // Every test's first claim reads a fresh lane's history from PostgreSQL within 3 s; a cold
    // test JVM's first query (Hibernate's class loading, the pool's first connection) can take
    // longer on a busy machine, and it is not what these tests are about.
    pg.snapshot(uniqueChain(), 0).onFailure().retry().atMost(5).await().atMost(Adapters.AWAIT);
  }

  @Override
  protected LaneSequencer lanes() {
    return a.lanes;
  }

  /** Claims are stamped with Redis' clock: move the stamp back rather than wait. */
  @Override
  protected void backdate(LanePosition held, Duration age) {
    a.backdate(held, age);
  }

  /** Reservations lapse by Redis' clock, which nobody moves: wait. */
  @Override
  protected void letPass(Duration time) {
    try {
      Thread.sleep(time.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aRefusedAtomicRequestWritesNothing() {
    ChainId a1 = uniqueChain();
    ChainId b1 = uniqueChain();
    Address sender = randomAddress();
    send(false, claim(a1, randomHash(), randomAddress(), 0));
    send(false, claim(b1, randomHash(), sender, 5));
    Map<String, String> before = a.contents();

    List<LaneOutcome> o =
        send(true, claim(a1, randomHash(), randomAddress(), 0), claim(b1, randomHash(), sender, 5));

    assertThat(o.get(0)).isInstanceOf(Skipped.class);
    assertThat(o.get(1)).isInstanceOf(Refused.class);
    assertThat(a.contents()).isEqualTo(before);
  }

  @Test
  void anAbandonedOrStaleSequenceIsListedAsVoidForTheFeedLog() {
    ChainId chain = uniqueChain();
    Hash32 abandoned = randomHash();
    Hash32 stale = randomHash();
    LanePosition first = assigned(send(false, claim(chain, abandoned, randomAddress(), 0)).get(0));
    LanePosition second = assigned(send(false, claim(chain, stale, randomAddress(), 0)).get(0));

    a.lanes.abandon(List.of(first)).await().atMost(Adapters.AWAIT);
    backdate(second, Duration.ofMinutes(2));
    a.lanes.releaseStale(chain, stale, Duration.ofMinutes(1)).await().atMost(Adapters.AWAIT);

    assertThat(a.command("HGET", a.keys.voids(chain), "1")).isEqualTo(abandoned.toHex());
    assertThat(a.command("HGET", a.keys.voids(chain), "2")).isEqualTo(stale.toHex());
  }

  @Test
  void aTransactionsAndANoncesClaimsLapseAfterTheClaimTtl() {
    ChainId chain = uniqueChain();
    Address sender = randomAddress();
    Hash32 tx = randomHash();
    assigned(send(false, claim(chain, tx, sender, 3)).get(0));

    for (String key : List.of(a.keys.tx(chain, tx), a.keys.nonce(chain, sender, 3))) {
      assertThat(Long.parseLong(a.command("TTL", key)))
          .as(key)
          .isBetween(Adapters.CLAIM_TTL.toSeconds() - 60, Adapters.CLAIM_TTL.toSeconds());
    }
  }

  @Test
  void aSlotsExpiryIsSetByTheClaimThatFirstWritesItAndNotMovedByLaterOnes() {
    ChainId chain = uniqueChain();
    assigned(send(false, claim(chain, randomHash(), randomAddress(), 0)).get(0));
    String slot = a.keys.slot(chain, Samples.SLOT);
    assertThat(Long.parseLong(a.command("TTL", slot)))
        .isBetween(Duration.ofHours(1).toSeconds() - 60, Duration.ofHours(1).toSeconds());
    a.command("EXPIRE", slot, "1000");

    assigned(send(false, claim(chain, randomHash(), randomAddress(), 0)).get(0));

    // Each expiry written again would be one more append to Redis's AOF per claim.
    assertThat(a.command("HGET", slot, "n")).isEqualTo("2");
    assertThat(Long.parseLong(a.command("TTL", slot))).isBetween(1L, 1000L);
  }

  @Test
  void aSlotWithNoExpiryGetsOneFromTheNextClaim() {
    ChainId chain = uniqueChain();
    assigned(send(false, claim(chain, randomHash(), randomAddress(), 0)).get(0));
    String slot = a.keys.slot(chain, Samples.SLOT);
    a.command("PERSIST", slot);

    assigned(send(false, claim(chain, randomHash(), randomAddress(), 0)).get(0));

    assertThat(Long.parseLong(a.command("TTL", slot)))
        .isBetween(Duration.ofHours(1).toSeconds() - 60, Duration.ofHours(1).toSeconds());
  }

  @Test
  void aFreshSequencerContinuesEachLaneWhereTheOldOneStopped() {
    ChainId one = uniqueChain();
    ChainId two = uniqueChain();
    Hash32 lastOnOne = null;
    for (int i = 0; i < 3; i++) {
      lastOnOne = randomHash();
      send(
          false,
          claim(one, lastOnOne, randomAddress(), 0),
          claim(two, randomHash(), randomAddress(), 0));
    }

    Adapters restarted = new Adapters(redis, "127.0.0.1:6390", pg, a.keys.prefix());
    List<LaneOutcome> o =
        restarted
            .lanes
            .claim(
                List.of(
                    claim(one, randomHash(), randomAddress(), 0),
                    claim(two, randomHash(), randomAddress(), 0)),
                false)
            .await()
            .atMost(Adapters.AWAIT);

    assertThat(assigned(o.get(0)).sequence()).isEqualTo(4);
    assertThat(assigned(o.get(0)).previous()).isEqualTo(lastOnOne);
    assertThat(assigned(o.get(1)).sequence()).isEqualTo(4);
  }
}
