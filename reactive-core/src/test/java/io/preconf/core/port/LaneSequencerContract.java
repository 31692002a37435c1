package io.preconf.core.port;

import static io.preconf.core.testing.Samples.claim;
import static io.preconf.core.testing.Samples.randomAddress;
import static io.preconf.core.testing.Samples.randomHash;
import static io.preconf.core.testing.Samples.uniqueChain;
import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.Rejection;
import io.preconf.core.port.LaneOutcome.AlreadyPreconfirmed;
import io.preconf.core.port.LaneOutcome.Assigned;
import io.preconf.core.port.LaneOutcome.Refused;
import io.preconf.core.port.LaneOutcome.Skipped;
import io.preconf.core.types.Address;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The rules of {@link LaneSequencer}, for every implementation: the in-memory one the core tests
 * with, and the Redis one (its Lua script) in infra. Each rule is written once here, so the copies
 * cannot drift apart; refusals are compared to the letter, since clients see their messages.
 */
public abstract class LaneSequencerContract {
  private static final Duration WAIT = Duration.ofSeconds(60);

  /** The sequencer under test. */
  protected abstract LaneSequencer lanes();

  /** Makes {@code held} look assigned {@code age} longer ago than it was. */
  protected abstract void backdate(LanePosition held, Duration age);

  @Test
  void sequencesStartAtOneAndChainEachPositionToTheOneBefore() {
    ChainId chain = uniqueChain();
    List<LanePosition> positions = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      positions.add(assigned(send(false, claim(chain, randomHash(), randomAddress(), 0)).get(0)));
    }

    assertThat(positions).extracting(LanePosition::sequence).containsExactly(1L, 2L, 3L);
    assertThat(positions.get(0).previous()).isEqualTo(Hash32.ZERO);
    assertThat(positions.get(1).previous()).isEqualTo(positions.get(0).txHash());
    assertThat(positions.get(2).previous()).isEqualTo(positions.get(1).txHash());
    assertThat(positions.get(1).receivedAt()).isGreaterThanOrEqualTo(positions.get(0).receivedAt());
    assertThat(positions.get(2).receivedAt()).isGreaterThanOrEqualTo(positions.get(1).receivedAt());
  }

  @Test
  void eachChainHasALaneOfItsOwn() {
    ChainId one = uniqueChain();
    ChainId two = uniqueChain();
    send(false, claim(one, randomHash(), randomAddress(), 0));

    LanePosition first = assigned(send(false, claim(two, randomHash(), randomAddress(), 0)).get(0));

    assertThat(first.sequence()).isEqualTo(1);
    assertThat(first.previous()).isEqualTo(Hash32.ZERO);
  }

  @Test
  void oneOfAThousandConcurrentClaimsOfOneTransactionIsAssigned() {
    LaneClaim same = claim(uniqueChain(), randomHash(), randomAddress(), 0);
    List<Uni<List<LaneOutcome>>> calls = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      calls.add(lanes().claim(List.of(same), false));
    }

    List<LaneOutcome> outcomes =
        Uni.join().all(calls).andFailFast().await().atMost(WAIT).stream()
            .map(l -> l.get(0))
            .toList();

    assertThat(outcomes).filteredOn(o -> o instanceof Assigned).hasSize(1);
    assertThat(outcomes).filteredOn(o -> o instanceof AlreadyPreconfirmed).hasSize(999);
  }

  @Test
  void twoHundredConcurrentTransactionsGetSequencesOneToTwoHundredChainedByPrevious() {
    ChainId chain = uniqueChain();
    List<Uni<List<LaneOutcome>>> calls = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      calls.add(lanes().claim(List.of(claim(chain, randomHash(), randomAddress(), i)), false));
    }

    List<LanePosition> positions =
        Uni.join().all(calls).andFailFast().await().atMost(WAIT).stream()
            .map(l -> assigned(l.get(0)))
            .sorted(Comparator.comparingLong(LanePosition::sequence))
            .toList();

    assertThat(positions)
        .extracting(LanePosition::sequence)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 200).boxed().toList());
    for (int i = 1; i < positions.size(); i++) {
      assertThat(positions.get(i).previous()).isEqualTo(positions.get(i - 1).txHash());
      assertThat(positions.get(i).receivedAt())
          .isGreaterThanOrEqualTo(positions.get(i - 1).receivedAt());
    }
  }

  @Test
  void aTransactionSubmittedAgainWhileItHoldsItsPositionIsAlreadyPreconfirmed() {
    ChainId chain = uniqueChain();
    LaneClaim c = claim(chain, randomHash(), randomAddress(), 2);
    assigned(send(false, c).get(0));

    assertThat(send(false, c).get(0)).isInstanceOf(AlreadyPreconfirmed.class);
    assertThat(assigned(send(false, claim(chain, randomHash(), randomAddress(), 0)).get(0)))
        .extracting(LanePosition::sequence)
        .isEqualTo(2L);
  }

  @Test
  void secondTransactionWithTheSameSenderAndNonceIsRefusedWithNonceConflict() {
    ChainId chain = uniqueChain();
    Address sender = randomAddress();
    Hash32 first = randomHash();
    LanePosition p = assigned(send(false, claim(chain, first, sender, 7)).get(0));

    Rejection r = refused(send(false, claim(chain, randomHash(), sender, 7)).get(0));

    assertThat(r.code()).isEqualTo(ErrorCode.INVALID_TRANSACTION);
    assertThat(r.reason()).isEqualTo(Reason.NONCE_CONFLICT);
    assertThat(r.message())
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
    Rejection r = refused(o.get(1));
    assertThat(r.code()).isEqualTo(ErrorCode.INVALID_TRANSACTION);
    assertThat(r.reason()).isEqualTo(Reason.NONCE_CONFLICT);
    assertThat(r.message())
        .isEqualTo(
            "sender "
                + sender.toHex()
                + " nonce 3 on chain "
                + chain
                + " is already claimed by tx "
                + first.toHex()
                + " earlier in this request");
  }

  @Test
  void theSameTransactionTwiceInOneRequestIsRefusedOnce() {
    ChainId chain = uniqueChain();
    Hash32 tx = randomHash();
    LaneClaim c = claim(chain, tx, randomAddress(), 0);

    List<LaneOutcome> o = send(false, c, c);

    assertThat(assigned(o.get(0)).sequence()).isEqualTo(1);
    Rejection r = refused(o.get(1));
    assertThat(r.code()).isEqualTo(ErrorCode.INVALID_TRANSACTION);
    assertThat(r.reason()).isEqualTo(Reason.DUPLICATE_IN_REQUEST);
    assertThat(r.message())
        .isEqualTo(
            "tx " + tx.toHex() + " on chain " + chain + " appears more than once in this request");
  }

  @Test
  void legsOfOneRequestOnOneLaneGetConsecutiveSequences() {
    ChainId chain = uniqueChain();
    Hash32 t1 = randomHash();

    List<LaneOutcome> o =
        send(
            true,
            claim(chain, t1, randomAddress(), 0),
            claim(chain, randomHash(), randomAddress(), 0));

    assertThat(assigned(o.get(0)).sequence()).isEqualTo(1);
    assertThat(assigned(o.get(1)).sequence()).isEqualTo(2);
    assertThat(assigned(o.get(1)).previous()).isEqualTo(t1);
  }

  @Test
  void slotCountLimitIsEnforced() {
    ChainId chain = uniqueChain();
    for (int i = 0; i < 3; i++) {
      assigned(send(false, newTx(chain, 3)).get(0));
    }

    Rejection r = refused(send(false, newTx(chain, 3)).get(0));

    assertThat(r.code()).isEqualTo(ErrorCode.PRECONFIRMATION_GENERATION_FAILED);
    assertThat(r.reason()).isEqualTo(Reason.SLOT_CAPACITY_EXCEEDED);
    assertThat(r.message())
        .isEqualTo("slot 100 on chain " + chain + " already holds 3 of its 3 preconfirmations");
  }

  @Test
  void slotGasLimitIsEnforcedToTheLastUnit() {
    ChainId chain = uniqueChain();
    assigned(
        send(false, claim(chain, randomHash(), randomAddress(), 0, 600_000, 100, 1_000_000))
            .get(0));
    Hash32 big = randomHash();

    LaneOutcome tooMuch =
        send(false, claim(chain, big, randomAddress(), 0, 400_001, 100, 1_000_000)).get(0);
    LaneOutcome fits =
        send(false, claim(chain, randomHash(), randomAddress(), 0, 400_000, 100, 1_000_000)).get(0);

    Rejection r = refused(tooMuch);
    assertThat(r.code()).isEqualTo(ErrorCode.PRECONFIRMATION_GENERATION_FAILED);
    assertThat(r.reason()).isEqualTo(Reason.SLOT_CAPACITY_EXCEEDED);
    assertThat(r.message())
        .isEqualTo(
            "tx "
                + big.toHex()
                + " needs 400001 gas but slot 100 on chain "
                + chain
                + " has 400000 of its 1000000 gas left");
    assertThat(assigned(fits).sequence()).isEqualTo(2);
  }

  @Test
  void legsOfOneRequestCountAgainstTheSlotTogether() {
    ChainId chain = uniqueChain();

    List<LaneOutcome> o = send(false, newTx(chain, 1), newTx(chain, 1));

    assertThat(assigned(o.get(0)).sequence()).isEqualTo(1);
    assertThat(refused(o.get(1)).reason()).isEqualTo(Reason.SLOT_CAPACITY_EXCEEDED);
  }

  /**
   * The skipped leg is then claimed as it was: it gets the next sequence (the head did not move),
   * its transaction and nonce were not taken, and it still fits a slot with room for one more.
   */
  @Test
  void anAtomicRequestWithANonceConflictChangesNoLane() {
    ChainId a = uniqueChain();
    ChainId b = uniqueChain();
    Address sender = randomAddress();
    Hash32 head = assigned(send(false, newTx(a, 2)).get(0)).txHash();
    send(false, claim(b, randomHash(), sender, 5));
    LaneClaim good = newTx(a, 2);

    List<LaneOutcome> o = send(true, good, claim(b, randomHash(), sender, 5));

    assertThat(o.get(0)).isInstanceOf(Skipped.class);
    assertThat(refused(o.get(1)).reason()).isEqualTo(Reason.NONCE_CONFLICT);
    LanePosition later = assigned(send(false, good).get(0));
    assertThat(later.sequence()).isEqualTo(2);
    assertThat(later.previous()).isEqualTo(head);
  }

  @Test
  void anAtomicRequestWithAFullSlotChangesNoLane() {
    ChainId a = uniqueChain();
    ChainId b = uniqueChain();
    send(false, newTx(a, 2));
    send(false, newTx(b, 1));
    LaneClaim good = newTx(a, 2);

    List<LaneOutcome> o = send(true, good, newTx(b, 1));

    assertThat(o.get(0)).isInstanceOf(Skipped.class);
    Rejection r = refused(o.get(1));
    assertThat(r.code()).isEqualTo(ErrorCode.PRECONFIRMATION_GENERATION_FAILED);
    assertThat(r.reason()).isEqualTo(Reason.SLOT_CAPACITY_EXCEEDED);
    assertThat(assigned(send(false, good).get(0)).sequence()).isEqualTo(2);
  }

  @Test
  void aNonAtomicRequestKeepsItsGoodLegsWhenOneIsRefused() {
    ChainId a = uniqueChain();
    ChainId b = uniqueChain();
    Address sender = randomAddress();
    send(false, claim(b, randomHash(), sender, 5));

    List<LaneOutcome> o =
        send(false, claim(a, randomHash(), randomAddress(), 0), claim(b, randomHash(), sender, 5));

    assertThat(assigned(o.get(0)).sequence()).isEqualTo(1);
    assertThat(refused(o.get(1)).reason()).isEqualTo(Reason.NONCE_CONFLICT);
  }

  /** The slot here takes one preconfirmation, so the resubmission also shows its room came back. */
  @Test
  void anAbandonedPositionStaysUsedAndFreesItsTransactionNonceAndSlot() {
    ChainId chain = uniqueChain();
    Address sender = randomAddress();
    Hash32 tx = randomHash();
    LanePosition first =
        assigned(send(false, claim(chain, tx, sender, 9, 21_000, 1, 1_000_000)).get(0));

    abandon(first);
    LanePosition again =
        assigned(send(false, claim(chain, tx, sender, 9, 21_000, 1, 1_000_000)).get(0));

    assertThat(again.sequence()).isEqualTo(2);
    assertThat(again.previous()).isEqualTo(tx);
  }

  @Test
  void anAbandonedNonceMayBeTakenByAnotherTransaction() {
    ChainId chain = uniqueChain();
    Address sender = randomAddress();
    LanePosition first = assigned(send(false, claim(chain, randomHash(), sender, 4)).get(0));

    abandon(first);

    assertThat(assigned(send(false, claim(chain, randomHash(), sender, 4)).get(0)).sequence())
        .isEqualTo(2);
  }

  @Test
  void abandoningTwiceOrAStalePositionReleasesNothingHeldByANewerSubmission() {
    ChainId chain = uniqueChain();
    Address sender = randomAddress();
    Hash32 tx = randomHash();
    LanePosition first = assigned(send(false, claim(chain, tx, sender, 1)).get(0));
    abandon(first);
    assigned(send(false, claim(chain, tx, sender, 1)).get(0));

    abandon(first);

    assertThat(send(false, claim(chain, tx, sender, 1)).get(0))
        .isInstanceOf(AlreadyPreconfirmed.class);
    assertThat(refused(send(false, claim(chain, randomHash(), sender, 1)).get(0)).reason())
        .isEqualTo(Reason.NONCE_CONFLICT);
  }

  @Test
  void aPositionHeldLongerThanAskedIsVoidedAndReleasesItsTransactionAndNonce() {
    ChainId chain = uniqueChain();
    Address sender = randomAddress();
    Hash32 tx = randomHash();
    LanePosition first = assigned(send(false, claim(chain, tx, sender, 4)).get(0));
    Duration minute = Duration.ofMinutes(1);

    assertThat(releaseStale(chain, tx, minute)).isEmpty();
    assertThat(send(false, claim(chain, tx, sender, 4)).get(0))
        .isInstanceOf(AlreadyPreconfirmed.class);

    backdate(first, Duration.ofMinutes(2));
    Optional<LanePosition> released = releaseStale(chain, tx, minute);

    assertThat(released).map(LanePosition::sequence).contains(first.sequence());
    LanePosition again = assigned(send(false, claim(chain, tx, sender, 4)).get(0));
    assertThat(again.sequence()).isEqualTo(2);
    assertThat(releaseStale(chain, tx, minute)).isEmpty();
    assertThat(releaseStale(chain, randomHash(), Duration.ZERO)).isEmpty();
  }

  protected final List<LaneOutcome> send(boolean atomic, LaneClaim... claims) {
    return lanes().claim(List.of(claims), atomic).await().atMost(WAIT);
  }

  private void abandon(LanePosition p) {
    lanes().abandon(List.of(p)).await().atMost(WAIT);
  }

  private Optional<LanePosition> releaseStale(ChainId chain, Hash32 tx, Duration olderThan) {
    return lanes().releaseStale(chain, tx, olderThan).await().atMost(WAIT);
  }

  /** A new transaction from a new sender, in a slot that takes {@code perSlot} of them. */
  private static LaneClaim newTx(ChainId chain, int perSlot) {
    return claim(chain, randomHash(), randomAddress(), 0, 21_000, perSlot, 1_000_000);
  }

  protected static LanePosition assigned(LaneOutcome o) {
    assertThat(o).isInstanceOf(Assigned.class);
    return ((Assigned) o).position();
  }

  private static Rejection refused(LaneOutcome o) {
    assertThat(o).isInstanceOf(Refused.class);
    return ((Refused) o).rejection();
  }
}
