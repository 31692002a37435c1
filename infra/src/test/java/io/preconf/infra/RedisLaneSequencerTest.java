package io.preconf.infra;

import static io.preconf.infra.Fixtures.claim;
import static io.preconf.infra.Fixtures.randomAddress;
import static io.preconf.infra.Fixtures.randomHash;
import static io.preconf.infra.Fixtures.uniqueChain;
import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.port.LaneClaim;
import io.preconf.core.port.LaneOutcome;
import io.preconf.core.port.LaneOutcome.AlreadyPreconfirmed;
import io.preconf.core.port.LaneOutcome.Assigned;
import io.preconf.core.port.LaneOutcome.Refused;
import io.preconf.core.port.LaneOutcome.Skipped;
import io.preconf.core.port.LanePosition;
import io.preconf.core.types.Address;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.preconf.infra.pg.PgPreconfirmations;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(LocalServers.class)
class RedisLaneSequencerTest {
  @Inject Redis redis;
  @Inject PgPreconfirmations pg;

  Adapters a;

  @BeforeEach
  void ownPrefix() {
    a = new Adapters(redis, "127.0.0.1:6390", pg, Fixtures.uniquePrefix());
  }

  private List<LaneOutcome> send(boolean atomic, LaneClaim... claims) {
    return a.lanes.claim(List.of(claims), atomic).await().atMost(Adapters.AWAIT);
  }

  private LanePosition assigned(LaneOutcome o) {
    assertThat(o).isInstanceOf(Assigned.class);
    return ((Assigned) o).position();
  }

  @Test
  void oneOfAThousandConcurrentClaimsOfOneTransactionIsAssigned() {
    ChainId chain = uniqueChain();
    LaneClaim same = claim(chain, randomHash(), randomAddress(), 0);
    List<Uni<List<LaneOutcome>>> calls = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      calls.add(a.lanes.claim(List.of(same), false));
    }

    List<LaneOutcome> outcomes =
        Uni.join().all(calls).andFailFast().await().atMost(Adapters.AWAIT).stream()
            .map(l -> l.get(0))
            .toList();

    assertThat(outcomes).hasSize(1000);
    assertThat(outcomes).filteredOn(o -> o instanceof Assigned).hasSize(1);
    assertThat(outcomes).filteredOn(o -> o instanceof AlreadyPreconfirmed).hasSize(999);
    LanePosition p =
        outcomes.stream().filter(o -> o instanceof Assigned).map(this::assigned).findFirst().get();
    assertThat(p.sequence()).isEqualTo(1);
    assertThat(p.previous()).isEqualTo(Hash32.ZERO);
  }

  @Test
  void twoHundredConcurrentTransactionsGetSequencesOneToTwoHundredChainedByPrevious() {
    ChainId chain = uniqueChain();
    List<Uni<List<LaneOutcome>>> calls = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      calls.add(a.lanes.claim(List.of(claim(chain, randomHash(), randomAddress(), i)), false));
    }

    List<LanePosition> positions =
        Uni.join().all(calls).andFailFast().await().atMost(Adapters.AWAIT).stream()
            .map(l -> assigned(l.get(0)))
            .sorted(Comparator.comparingLong(LanePosition::sequence))
            .toList();

    assertThat(positions).extracting(LanePosition::sequence).containsExactly(range(1, 200));
    assertThat(positions.get(0).previous()).isEqualTo(Hash32.ZERO);
    for (int i = 1; i < positions.size(); i++) {
      assertThat(positions.get(i).previous()).isEqualTo(positions.get(i - 1).txHash());
      assertThat(positions.get(i).receivedAt())
          .isGreaterThanOrEqualTo(positions.get(i - 1).receivedAt());
    }
    assertThat(positions.get(0).receivedAt())
        .isBetween(System.currentTimeMillis() - 120_000, System.currentTimeMillis() + 5_000);
  }

  @Test
  void secondTransactionWithTheSameSenderAndNonceIsRefusedWithNonceConflict() {
    ChainId chain = uniqueChain();
    Address sender = randomAddress();
    Hash32 first = randomHash();
    Hash32 second = randomHash();

    LanePosition p = assigned(send(false, claim(chain, first, sender, 7)).get(0));
    LaneOutcome o = send(false, claim(chain, second, sender, 7)).get(0);

    assertThat(o).isInstanceOf(Refused.class);
    Refused r = (Refused) o;
    assertThat(r.rejection().code()).isEqualTo(ErrorCode.INVALID_TRANSACTION);
    assertThat(r.rejection().reason()).isEqualTo(Reason.NONCE_CONFLICT);
    assertThat(r.rejection().message())
        .isEqualTo(
            "sender "
                + sender.toHex()
                + " nonce 7 on chain "
                + chain
                + " is already preconfirmed by tx "
                + first.toHex()
                + " at sequence "
                + p.sequence());
  }

  @Test
  void twoLegsOfOneRequestWithTheSameSenderAndNonceConflictWithEachOther() {
    ChainId chain = uniqueChain();
    Address sender = randomAddress();
    Hash32 first = randomHash();

    List<LaneOutcome> o =
        send(false, claim(chain, first, sender, 3), claim(chain, randomHash(), sender, 3));

    assertThat(assigned(o.get(0)).sequence()).isEqualTo(1);
    assertThat(((Refused) o.get(1)).rejection().reason()).isEqualTo(Reason.NONCE_CONFLICT);
    assertThat(((Refused) o.get(1)).rejection().message()).contains(first.toHex());
  }

  @Test
  void theSameTransactionTwiceInOneRequestIsRefusedOnce() {
    ChainId chain = uniqueChain();
    LaneClaim c = claim(chain, randomHash(), randomAddress(), 0);

    List<LaneOutcome> o = send(false, c, c);

    assertThat(o.get(0)).isInstanceOf(Assigned.class);
    assertThat(((Refused) o.get(1)).rejection().reason()).isEqualTo(Reason.DUPLICATE_IN_REQUEST);
  }

  @Test
  void legsOfOneRequestOnOneLaneGetConsecutiveSequences() {
    ChainId chain = uniqueChain();
    Hash32 t1 = randomHash();
    Hash32 t2 = randomHash();

    List<LaneOutcome> o =
        send(true, claim(chain, t1, randomAddress(), 0), claim(chain, t2, randomAddress(), 0));

    assertThat(assigned(o.get(0)).sequence()).isEqualTo(1);
    assertThat(assigned(o.get(1)).sequence()).isEqualTo(2);
    assertThat(assigned(o.get(1)).previous()).isEqualTo(t1);
  }

  @Test
  void atomicTwoRollupClaimWithANonceConflictLeavesBothLanesUntouched() {
    ChainId a1 = uniqueChain();
    ChainId b1 = uniqueChain();
    Address sender = randomAddress();
    send(false, claim(a1, randomHash(), randomAddress(), 0));
    send(false, claim(b1, randomHash(), sender, 5));
    Map<String, String> before = a.contents();

    List<LaneOutcome> o =
        send(true, claim(a1, randomHash(), randomAddress(), 0), claim(b1, randomHash(), sender, 5));

    assertThat(o.get(0)).isInstanceOf(Skipped.class);
    assertThat(((Refused) o.get(1)).rejection().reason()).isEqualTo(Reason.NONCE_CONFLICT);
    assertThat(a.contents()).isEqualTo(before);
  }

  @Test
  void atomicTwoRollupClaimWithAFullSlotLeavesBothLanesUntouched() {
    ChainId a1 = uniqueChain();
    ChainId b1 = uniqueChain();
    send(false, claim(a1, randomHash(), randomAddress(), 0, 21_000, 10, 1_000_000));
    send(false, claim(b1, randomHash(), randomAddress(), 0, 21_000, 1, 1_000_000));
    Map<String, String> before = a.contents();

    List<LaneOutcome> o =
        send(
            true,
            claim(a1, randomHash(), randomAddress(), 0, 21_000, 10, 1_000_000),
            claim(b1, randomHash(), randomAddress(), 0, 21_000, 1, 1_000_000));

    assertThat(o.get(0)).isInstanceOf(Skipped.class);
    Refused r = (Refused) o.get(1);
    assertThat(r.rejection().code()).isEqualTo(ErrorCode.PRECONFIRMATION_GENERATION_FAILED);
    assertThat(r.rejection().reason()).isEqualTo(Reason.SLOT_CAPACITY_EXCEEDED);
    assertThat(a.contents()).isEqualTo(before);
  }

  @Test
  void nonAtomicRequestKeepsItsGoodLegsWhenOneIsRefused() {
    ChainId a1 = uniqueChain();
    ChainId b1 = uniqueChain();
    Address sender = randomAddress();
    send(false, claim(b1, randomHash(), sender, 5));

    List<LaneOutcome> o =
        send(
            false, claim(a1, randomHash(), randomAddress(), 0), claim(b1, randomHash(), sender, 5));

    assertThat(assigned(o.get(0)).sequence()).isEqualTo(1);
    assertThat(o.get(1)).isInstanceOf(Refused.class);
  }

  @Test
  void slotCountLimitIsEnforced() {
    ChainId chain = uniqueChain();
    for (int i = 0; i < 3; i++) {
      assigned(
          send(false, claim(chain, randomHash(), randomAddress(), 0, 21_000, 3, 10_000_000))
              .get(0));
    }

    LaneOutcome o =
        send(false, claim(chain, randomHash(), randomAddress(), 0, 21_000, 3, 10_000_000)).get(0);

    Refused r = (Refused) o;
    assertThat(r.rejection().reason()).isEqualTo(Reason.SLOT_CAPACITY_EXCEEDED);
    assertThat(r.rejection().message())
        .isEqualTo("slot 100 on chain " + chain + " already holds 3 of its 3 preconfirmations");
  }

  @Test
  void slotGasLimitIsEnforced() {
    ChainId chain = uniqueChain();
    assigned(
        send(false, claim(chain, randomHash(), randomAddress(), 0, 600_000, 100, 1_000_000))
            .get(0));
    Hash32 big = randomHash();

    LaneOutcome tooMuch =
        send(false, claim(chain, big, randomAddress(), 0, 400_001, 100, 1_000_000)).get(0);
    LaneOutcome fits =
        send(false, claim(chain, randomHash(), randomAddress(), 0, 400_000, 100, 1_000_000)).get(0);

    Refused r = (Refused) tooMuch;
    assertThat(r.rejection().reason()).isEqualTo(Reason.SLOT_CAPACITY_EXCEEDED);
    assertThat(r.rejection().message())
        .isEqualTo(
            "tx "
                + big.toHex()
                + " needs 400001 gas but slot 100 on chain "
                + chain
                + " has 400000 of its 1000000 gas left");
    assertThat(assigned(fits).sequence()).isEqualTo(2);
  }

  @Test
  void abandonedPositionStaysUsedAndTheTransactionCanBeResubmitted() {
    ChainId chain = uniqueChain();
    Address sender = randomAddress();
    Hash32 tx = randomHash();
    LanePosition first =
        assigned(send(false, claim(chain, tx, sender, 9, 21_000, 1, 1_000_000)).get(0));

    a.lanes.abandon(List.of(first)).await().atMost(Adapters.AWAIT);
    LanePosition again =
        assigned(send(false, claim(chain, tx, sender, 9, 21_000, 1, 1_000_000)).get(0));

    assertThat(again.sequence()).isEqualTo(2);
    assertThat(again.previous()).isEqualTo(tx); // the void entry is still the lane's sequence 1
    assertThat(a.command("HGET", a.keys.voids(chain), "1")).isEqualTo(tx.toHex());
  }

  @Test
  void abandoningTwiceOrAStalePositionReleasesNothingHeldByANewerSubmission() {
    ChainId chain = uniqueChain();
    Address sender = randomAddress();
    Hash32 tx = randomHash();
    LanePosition first = assigned(send(false, claim(chain, tx, sender, 1)).get(0));
    a.lanes.abandon(List.of(first)).await().atMost(Adapters.AWAIT);
    assigned(send(false, claim(chain, tx, sender, 1)).get(0));

    a.lanes.abandon(List.of(first)).await().atMost(Adapters.AWAIT);

    assertThat(send(false, claim(chain, tx, sender, 1)).get(0))
        .isInstanceOf(AlreadyPreconfirmed.class);
    assertThat(send(false, claim(chain, randomHash(), sender, 1)).get(0))
        .isInstanceOf(Refused.class);
  }

  @Test
  void aPositionHeldLongerThanAskedIsVoidedAndReleasesItsTransactionAndNonce() {
    ChainId chain = uniqueChain();
    Address sender = randomAddress();
    Hash32 tx = randomHash();
    LanePosition first = assigned(send(false, claim(chain, tx, sender, 4)).get(0));
    Duration minute = Duration.ofMinutes(1);

    assertThat(a.lanes.releaseStale(chain, tx, minute).await().atMost(Adapters.AWAIT)).isEmpty();
    assertThat(send(false, claim(chain, tx, sender, 4)).get(0))
        .isInstanceOf(AlreadyPreconfirmed.class);

    // The claim is stamped with Redis' clock: move the stamp back rather than wait two minutes.
    a.command("HSET", a.keys.tx(chain, tx), "at", Long.toString(first.receivedAt() - 120_000));
    Optional<LanePosition> released =
        a.lanes.releaseStale(chain, tx, minute).await().atMost(Adapters.AWAIT);

    assertThat(released).map(LanePosition::sequence).contains(first.sequence());
    assertThat(a.command("HGET", a.keys.voids(chain), "1")).isEqualTo(tx.toHex());
    LanePosition again = assigned(send(false, claim(chain, tx, sender, 4)).get(0));
    assertThat(again.sequence()).isEqualTo(2);
    assertThat(a.lanes.releaseStale(chain, tx, minute).await().atMost(Adapters.AWAIT)).isEmpty();
    assertThat(
            a.lanes.releaseStale(chain, randomHash(), Duration.ZERO).await().atMost(Adapters.AWAIT))
        .isEmpty();
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

  private static Long[] range(long from, long to) {
    Long[] out = new Long[(int) (to - from + 1)];
    for (int i = 0; i < out.length; i++) {
      out[i] = from + i;
    }
    return out;
  }
}
