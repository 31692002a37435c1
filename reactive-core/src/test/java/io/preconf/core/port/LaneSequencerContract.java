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
import io.preconf.core.testing.Samples;
import io.preconf.core.types.Address;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.smallrye.mutiny.Uni;
import java.math.BigInteger;
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

  /** Lets {@code time} pass on the sequencer's clock. */
  protected abstract void letPass(Duration time);

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

  /** A claim that may take any slot from {@link Samples#SLOT} to {@code last}, one per slot. */
  private static LaneClaim ranged(ChainId chain, long last, long gas, long maxGas) {
    return new LaneClaim(
        chain, randomHash(), randomAddress(), 0, gas, Samples.SLOT, last, 1, maxGas, null);
  }

  private static long slotOf(LaneOutcome o) {
    assertThat(o).isInstanceOf(Assigned.class);
    return ((Assigned) o).targetSlot();
  }

  @Test
  void aClaimOnOneSlotIsPromisedForThatSlot() {
    assertThat(slotOf(send(false, newTx(uniqueChain(), 3)).get(0))).isEqualTo(Samples.SLOT);
  }

  @Test
  void aClaimWithARangeTakesTheEarliestSlotWithRoomCountingEarlierLegsOfItsRequest() {
    ChainId chain = uniqueChain();
    long first = Samples.SLOT;
    assertThat(slotOf(send(false, ranged(chain, first + 5, 21_000, 1_000_000)).get(0)))
        .isEqualTo(first);

    List<LaneOutcome> o =
        send(
            false,
            ranged(chain, first + 5, 21_000, 1_000_000),
            ranged(chain, first + 5, 21_000, 1_000_000));
    assertThat(o).extracting(LaneSequencerContract::slotOf).containsExactly(first + 1, first + 2);
    // Gas counts too: a slot with a place left but too little gas is passed over.
    assertThat(slotOf(send(false, ranged(chain, first + 5, 2_000_000, 2_000_000)).get(0)))
        .isEqualTo(first + 3);
  }

  @Test
  void fiftyConcurrentClaimsWithARangeOfFortySlotsFillEachSlotOnceAndRefuseTheRest() {
    ChainId chain = uniqueChain();
    List<Uni<List<LaneOutcome>>> calls = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      calls.add(lanes().claim(List.of(ranged(chain, Samples.SLOT + 39, 21_000, 1_000_000)), false));
    }

    List<LaneOutcome> outcomes =
        Uni.join().all(calls).andFailFast().await().atMost(WAIT).stream()
            .map(l -> l.get(0))
            .toList();

    assertThat(outcomes.stream().filter(Assigned.class::isInstance).map(o -> slotOf(o)))
        .containsExactlyInAnyOrderElementsOf(
            LongStream.range(Samples.SLOT, Samples.SLOT + 40).boxed().toList());
    assertThat(outcomes.stream().filter(o -> !(o instanceof Assigned)))
        .hasSize(10)
        .allSatisfy(o -> assertThat(refused(o).reason()).isEqualTo(Reason.SLOT_CAPACITY_EXCEEDED));
  }

  @Test
  void aClaimWithARangeWhoseEverySlotIsFullIsRefusedNamingTheRange() {
    ChainId chain = uniqueChain();
    long first = Samples.SLOT;
    send(false, ranged(chain, first + 1, 21_000, 1_000_000));
    send(false, ranged(chain, first + 1, 21_000, 1_000_000));
    LaneClaim late = ranged(chain, first + 1, 21_000, 1_000_000);

    Rejection r = refused(send(false, late).get(0));

    assertThat(r.code()).isEqualTo(ErrorCode.PRECONFIRMATION_GENERATION_FAILED);
    assertThat(r.reason()).isEqualTo(Reason.SLOT_CAPACITY_EXCEEDED);
    assertThat(r.message())
        .isEqualTo(
            "no slot from 100 to 101 on chain "
                + chain
                + " has room for tx "
                + late.txHash().toHex()
                + " (21000 gas; 1 preconfirmations and 1000000 gas per slot)");
  }

  @Test
  void anAbandonedPositionFreesTheSlotItsRangeChose() {
    ChainId chain = uniqueChain();
    send(false, ranged(chain, Samples.SLOT + 3, 21_000, 1_000_000));
    LaneOutcome second = send(false, ranged(chain, Samples.SLOT + 3, 21_000, 1_000_000)).get(0);
    assertThat(slotOf(second)).isEqualTo(Samples.SLOT + 1);

    abandon(assigned(second));

    assertThat(slotOf(send(false, ranged(chain, Samples.SLOT + 3, 21_000, 1_000_000)).get(0)))
        .isEqualTo(Samples.SLOT + 1);
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

  @Test
  void aSweepVoidsOnlyPositionsOpenLongerThanTheBoundAndReleasesTheirClaims() {
    ChainId chain = uniqueChain();
    Address sender = randomAddress();
    Hash32 orphan = randomHash();
    LanePosition old = assigned(send(false, claim(chain, orphan, sender, 0)).get(0));
    Duration minute = Duration.ofMinutes(1);
    assertThat(sweep(chain, minute)).isEmpty();
    backdate(old, Duration.ofMinutes(2));
    Hash32 live = randomHash();
    LanePosition young = assigned(send(false, claim(chain, live, randomAddress(), 0)).get(0));

    List<LanePosition> swept = sweep(chain, minute);

    assertThat(swept).extracting(LanePosition::sequence).containsExactly(old.sequence());
    assertThat(sweep(chain, minute)).as("a second sweep finds nothing").isEmpty();
    LanePosition again = assigned(send(false, claim(chain, orphan, sender, 0)).get(0));
    assertThat(again.sequence()).isEqualTo(young.sequence() + 1);
    assertThat(send(false, claim(chain, live, randomAddress(), 0)).get(0))
        .isInstanceOf(AlreadyPreconfirmed.class);
  }

  // The senders' state on the rollup's node (SenderBook's rules), judged in the claim's step.

  private static final long HOUR = 3_600_000;

  /** Above 2^53, with a carry in every sum: the script adds wei as decimal text. */
  private static final BigInteger COST = new BigInteger("999999999999999999");

  /** {@code n} times {@link #COST}. */
  private static BigInteger costs(int n) {
    return COST.multiply(BigInteger.valueOf(n));
  }

  /** A checked claim whose promise holds an hour; the node holds the sender at nonce 0. */
  private static LaneClaim checked(ChainId chain, Address sender, long nonce, BigInteger balance) {
    return Samples.checked(chain, randomHash(), sender, nonce, 0, balance, COST, HOUR);
  }

  @Test
  void aNonceBelowTheNodesIsRefusedWithNonceTooLowAndTakesNothing() {
    ChainId chain = uniqueChain();
    Address sender = randomAddress();

    Rejection r =
        refused(
            send(false, Samples.checked(chain, randomHash(), sender, 4, 5, COST, COST, HOUR))
                .get(0));

    assertThat(r.code()).isEqualTo(ErrorCode.INVALID_TRANSACTION);
    assertThat(r.reason()).isEqualTo(Reason.NONCE_TOO_LOW);
    assertThat(r.message())
        .isEqualTo(
            "sender "
                + sender.toHex()
                + " nonce 4 on chain "
                + chain
                + " is below its nonce 5 on the rollup's node");
    LanePosition next =
        assigned(
            send(false, Samples.checked(chain, randomHash(), sender, 5, 5, COST, COST, HOUR))
                .get(0));
    assertThat(next.sequence()).isEqualTo(1);
  }

  @Test
  void aNonceAboveTheNextOneIsRefusedWithNonceGapNamingBoth() {
    ChainId chain = uniqueChain();
    Address sender = randomAddress();
    assigned(send(false, checked(chain, sender, 0, costs(3))).get(0));

    Rejection r = refused(send(false, checked(chain, sender, 2, costs(3))).get(0));

    assertThat(r.code()).isEqualTo(ErrorCode.INVALID_TRANSACTION);
    assertThat(r.reason()).isEqualTo(Reason.NONCE_GAP);
    assertThat(r.message())
        .isEqualTo(
            "sender "
                + sender.toHex()
                + " nonce 2 on chain "
                + chain
                + " leaves a gap: its next nonce is 1 (0 on the rollup's node, then 1 promised and"
                + " not yet included)");
    assertThat(assigned(send(false, checked(chain, sender, 1, costs(3))).get(0)).sequence())
        .isEqualTo(2);
  }

  @Test
  void legsOfOneSenderInOneRequestCountEachOthersNoncesAndCosts() {
    ChainId chain = uniqueChain();
    Address sender = randomAddress();

    List<LaneOutcome> o =
        send(
            false,
            checked(chain, sender, 0, costs(3)),
            checked(chain, sender, 1, costs(3)),
            checked(chain, sender, 2, costs(3)),
            checked(chain, sender, 3, costs(3)));

    assertThat(o.subList(0, 3)).extracting(l -> assigned(l).sequence()).containsExactly(1L, 2L, 3L);
    assertThat(refused(o.get(3)).reason()).isEqualTo(Reason.INSUFFICIENT_BALANCE);
  }

  @Test
  void aCostAboveWhatTheBalanceLeavesIsRefusedNamingBothAmounts() {
    ChainId chain = uniqueChain();
    Address sender = randomAddress();
    BigInteger balance = costs(2).add(COST.divide(BigInteger.TWO));
    assigned(send(false, checked(chain, sender, 0, balance)).get(0));
    assigned(send(false, checked(chain, sender, 1, balance)).get(0));
    LaneClaim third = checked(chain, sender, 2, balance);

    Rejection r = refused(send(false, third).get(0));

    assertThat(r.code()).isEqualTo(ErrorCode.INVALID_TRANSACTION);
    assertThat(r.reason()).isEqualTo(Reason.INSUFFICIENT_BALANCE);
    assertThat(r.message())
        .isEqualTo(
            "sender "
                + sender.toHex()
                + " on chain "
                + chain
                + " needs up to 2999999999999999997 wei (999999999999999999 for tx "
                + third.txHash().toHex()
                + ", 1999999999999999998 for 2 promised and not yet included), above its"
                + " balance of 2499999999999999997 wei on the rollup's node");
  }

  @Test
  void aBalanceOfExactlyTheCostIsEnough() {
    ChainId chain = uniqueChain();

    assertThat(send(false, checked(chain, randomAddress(), 0, COST)).get(0))
        .isInstanceOf(Assigned.class);
  }

  @Test
  void aMaxFeeBelowTheBaseFeeByTheTargetSlotIsRefusedNamingBoth() {
    ChainId chain = uniqueChain();
    Hash32 tx = randomHash();
    LaneClaim c = Samples.checked(chain, tx, randomAddress(), 0, 0, COST, COST, HOUR);
    LaneClaim.StateCheck s = c.state();
    LaneClaim cheap =
        new LaneClaim(
            chain,
            tx,
            c.sender(),
            0,
            c.gasLimit(),
            c.targetSlot(),
            c.lastSlot(),
            c.maxPerSlot(),
            c.maxGasPerSlot(),
            new LaneClaim.StateCheck(
                0,
                s.balanceWei(),
                new BigInteger("21000000000000000000000000000000"),
                s.maxFeeWei(),
                s.costWei(),
                HOUR));

    Rejection r = refused(send(false, cheap).get(0));

    assertThat(r.code()).isEqualTo(ErrorCode.INVALID_TRANSACTION);
    assertThat(r.reason()).isEqualTo(Reason.BASE_FEE_TOO_LOW);
    assertThat(r.message())
        .isEqualTo(
            "tx "
                + tx.toHex()
                + " on chain "
                + chain
                + " pays at most 20 wei per gas, below the base fee of"
                + " 21000000000000000000000000000000 wei the rollup's node may reach by slot "
                + Samples.SLOT);
  }

  @Test
  void aPromiseTheNodesNonceHasPassedNoLongerHoldsTheBalance() {
    ChainId chain = uniqueChain();
    Address sender = randomAddress();
    assigned(send(false, checked(chain, sender, 0, COST)).get(0));
    assertThat(refused(send(false, checked(chain, sender, 1, COST)).get(0)).reason())
        .isEqualTo(Reason.INSUFFICIENT_BALANCE);

    LaneOutcome afterInclusion =
        send(false, Samples.checked(chain, randomHash(), sender, 1, 1, COST, COST, HOUR)).get(0);

    assertThat(assigned(afterInclusion).sequence()).isEqualTo(2);
  }

  /**
   * Engine processes read the node each on its own: one whose reading is a block behind still finds
   * the promise another one saw included, and counts it, rather than a gap before it.
   */
  @Test
  void aReadingBehindAnotherStillCountsThePromisesJustPassed() {
    ChainId chain = uniqueChain();
    Address sender = randomAddress();
    assigned(send(false, checked(chain, sender, 0, costs(3))).get(0));
    assigned(
        send(false, Samples.checked(chain, randomHash(), sender, 1, 1, costs(2), COST, HOUR))
            .get(0));

    Rejection tooPoor = refused(send(false, checked(chain, sender, 2, costs(2))).get(0));
    LaneOutcome behind = send(false, checked(chain, sender, 2, costs(3))).get(0);

    assertThat(tooPoor.reason()).isEqualTo(Reason.INSUFFICIENT_BALANCE);
    assertThat(tooPoor.message()).contains(" for 2 promised and not yet included)");
    assertThat(assigned(behind).sequence()).isEqualTo(3);
  }

  @Test
  void anAbandonedPositionReleasesItsSendersNonceAndCost() {
    ChainId chain = uniqueChain();
    Address sender = randomAddress();
    LanePosition first = assigned(send(false, checked(chain, sender, 0, COST)).get(0));

    abandon(first);

    assertThat(assigned(send(false, checked(chain, sender, 0, COST)).get(0)).sequence())
        .isEqualTo(2);
  }

  @Test
  void aPromiseWhoseHoldLapsedReservesNothing() {
    ChainId chain = uniqueChain();
    Address sender = randomAddress();
    assigned(
        send(false, Samples.checked(chain, randomHash(), sender, 0, 0, COST, COST, 50)).get(0));

    letPass(Duration.ofMillis(200));

    Rejection r = refused(send(false, checked(chain, sender, 1, COST)).get(0));
    assertThat(r.reason()).isEqualTo(Reason.NONCE_GAP);
    assertThat(r.message())
        .contains("its next nonce is 0 (0 on the rollup's node, then 0 promised");
  }

  @Test
  void aTransactionHoldingItsPositionIsAlreadyPreconfirmedWhateverTheNodeSaysNow() {
    ChainId chain = uniqueChain();
    Address sender = randomAddress();
    LaneClaim c = checked(chain, sender, 0, COST);
    assigned(send(false, c).get(0));

    LaneClaim later =
        Samples.checked(
            chain, c.txHash(), sender, 0, 1, BigInteger.ZERO, COST, HOUR); // included, spent

    assertThat(send(false, later).get(0)).isInstanceOf(AlreadyPreconfirmed.class);
  }

  @Test
  void anAtomicRequestRefusedByASendersStateTakesNothing() {
    ChainId chain = uniqueChain();
    Address sender = randomAddress();
    LaneClaim good = checked(chain, sender, 0, COST);

    List<LaneOutcome> o = send(true, good, checked(chain, sender, 1, COST));

    assertThat(o.get(0)).isInstanceOf(Skipped.class);
    assertThat(refused(o.get(1)).reason()).isEqualTo(Reason.INSUFFICIENT_BALANCE);
    assertThat(assigned(send(false, good).get(0)).sequence()).isEqualTo(1);
  }

  /** However twenty claims of one sender interleave, ten fit its balance, their nonces in a row. */
  @Test
  void twentyConcurrentClaimsOfOneSenderSpendItsBalanceOnceWithoutAGap() {
    ChainId chain = uniqueChain();
    Address sender = randomAddress();
    List<Uni<List<LaneOutcome>>> calls = new ArrayList<>();
    for (int nonce = 0; nonce < 20; nonce++) {
      calls.add(lanes().claim(List.of(checked(chain, sender, nonce, costs(10))), false));
    }
    List<LaneOutcome> outcomes =
        Uni.join().all(calls).andFailFast().await().atMost(WAIT).stream()
            .map(l -> l.get(0))
            .toList();

    List<Long> promised = new ArrayList<>();
    for (int nonce = 0; nonce < 20; nonce++) {
      if (outcomes.get(nonce) instanceof Assigned) {
        promised.add((long) nonce);
      } else {
        assertThat(refused(outcomes.get(nonce)).reason())
            .isIn(Reason.NONCE_GAP, Reason.INSUFFICIENT_BALANCE);
      }
    }
    assertThat(promised.size()).isBetween(1, 10);
    assertThat(promised).isEqualTo(LongStream.range(0, promised.size()).boxed().toList());
  }

  @Test
  void groupsOfOneCallAreJudgedInOrderEachSeeingWhatTheOnesBeforeItTook() {
    ChainId chain = uniqueChain();
    Address sender = randomAddress();
    LaneClaim first = claim(chain, randomHash(), sender, 0);
    LaneClaim sameNonce = claim(chain, randomHash(), sender, 0);
    LaneClaim other = claim(chain, randomHash(), randomAddress(), 0);

    List<List<LaneOutcome>> o =
        sendAll(
            new ClaimGroup(List.of(first), false),
            new ClaimGroup(List.of(sameNonce, other), false),
            new ClaimGroup(List.of(first), false));

    assertThat(assigned(o.get(0).get(0)).sequence()).isEqualTo(1);
    assertThat(refused(o.get(1).get(0)).message())
        .isEqualTo(
            "sender "
                + sender.toHex()
                + " nonce 0 on chain "
                + chain
                + " is already preconfirmed by tx "
                + first.txHash().toHex()
                + " at sequence 1");
    LanePosition second = assigned(o.get(1).get(1));
    assertThat(second.sequence()).isEqualTo(2);
    assertThat(second.previous()).isEqualTo(first.txHash());
    assertThat(o.get(2).get(0)).isInstanceOf(AlreadyPreconfirmed.class);
  }

  @Test
  void anAtomicGroupRefusedInACallLeavesTheOtherGroupsAlone() {
    ChainId chain = uniqueChain();
    Address sender = randomAddress();
    LaneClaim taken = claim(chain, randomHash(), sender, 0);
    LaneClaim bundled = claim(chain, randomHash(), randomAddress(), 0);
    LaneClaim conflicting = claim(chain, randomHash(), sender, 0);
    LaneClaim after = claim(chain, randomHash(), randomAddress(), 0);

    List<List<LaneOutcome>> o =
        sendAll(
            new ClaimGroup(List.of(taken), false),
            new ClaimGroup(List.of(bundled, conflicting), true),
            new ClaimGroup(List.of(after), true));

    assertThat(assigned(o.get(0).get(0)).sequence()).isEqualTo(1);
    assertThat(o.get(1).get(0)).isInstanceOf(Skipped.class);
    assertThat(refused(o.get(1).get(1)).reason()).isEqualTo(Reason.NONCE_CONFLICT);
    LanePosition next = assigned(o.get(2).get(0));
    assertThat(next.sequence()).isEqualTo(2);
    assertThat(next.previous()).isEqualTo(taken.txHash());
    // The skipped leg took nothing: it is claimed on its own next.
    assertThat(assigned(send(false, bundled).get(0)).sequence()).isEqualTo(3);
  }

  @Test
  void aSlotFilledByOneGroupRefusesTheNextGroupOfTheSameCall() {
    ChainId chain = uniqueChain();

    List<List<LaneOutcome>> o =
        sendAll(
            new ClaimGroup(List.of(newTx(chain, 2), newTx(chain, 2)), false),
            new ClaimGroup(List.of(newTx(chain, 2)), false));

    assertThat(o.get(0)).allSatisfy(l -> assertThat(l).isInstanceOf(Assigned.class));
    assertThat(refused(o.get(1).get(0)).reason()).isEqualTo(Reason.SLOT_CAPACITY_EXCEEDED);
  }

  @Test
  void anAtomicGroupRefusedInACallCountsNothingInItsSlotForTheGroupsAfterIt() {
    ChainId chain = uniqueChain();
    Address sender = randomAddress();
    LaneClaim taken = claim(chain, randomHash(), sender, 0, 21_000, 3, 1_000_000);
    LaneClaim conflicting = claim(chain, randomHash(), sender, 0, 21_000, 3, 1_000_000);

    List<List<LaneOutcome>> o =
        sendAll(
            new ClaimGroup(List.of(taken), false),
            new ClaimGroup(List.of(newTx(chain, 3), conflicting), true),
            new ClaimGroup(List.of(newTx(chain, 3), newTx(chain, 3)), false));

    assertThat(o.get(1).get(0)).isInstanceOf(Skipped.class);
    assertThat(o.get(2)).allSatisfy(l -> assertThat(l).isInstanceOf(Assigned.class));
    assertThat(assigned(o.get(2).get(1)).sequence()).isEqualTo(3);
    // The slot kept the three positions the call took, no more and no fewer.
    assertThat(refused(send(false, newTx(chain, 3)).get(0)).reason())
        .isEqualTo(Reason.SLOT_CAPACITY_EXCEEDED);
  }

  private List<List<LaneOutcome>> sendAll(ClaimGroup... groups) {
    return lanes().claimAll(List.of(groups)).await().atMost(WAIT);
  }

  protected final List<LaneOutcome> send(boolean atomic, LaneClaim... claims) {
    return lanes().claim(List.of(claims), atomic).await().atMost(WAIT);
  }

  private void abandon(LanePosition p) {
    lanes().abandon(List.of(p)).await().atMost(WAIT);
  }

  private List<LanePosition> sweep(ChainId chain, Duration olderThan) {
    return lanes().sweep(chain, olderThan).await().atMost(WAIT);
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
