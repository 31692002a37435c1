package io.preconf.core.engine;

import static io.preconf.core.testing.EngineFixture.ALPHA;
import static io.preconf.core.testing.EngineFixture.transfer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.preconf.core.error.Reason;
import io.preconf.core.error.Rejection;
import io.preconf.core.error.Result;
import io.preconf.core.port.LaneOutcome;
import io.preconf.core.port.LanePosition;
import io.preconf.core.testing.EngineFixture;
import io.preconf.core.tx.TransactionDecoder;
import io.preconf.core.types.Hash32;
import java.util.List;
import org.junit.jupiter.api.Test;

class LaneSettlementTest {
  private static final Rejection FEE_TOO_LOW =
      Rejection.invalidTransaction(Reason.FEE_TOO_LOW, "priority fee 1 wei is below the minimum");
  private static final Rejection NONCE_CONFLICT =
      Rejection.invalidTransaction(Reason.NONCE_CONFLICT, "nonce 0 is promised already");

  private static Leg leg(int index) {
    return new Leg(
        index,
        TransactionDecoder.decodeHex(transfer(ALPHA, index, 0)).value(),
        EngineFixture.rollups().find(ALPHA).orElseThrow(),
        new TargetSlots(7, 7));
  }

  private static LanePosition position(Leg leg, long sequence) {
    return new LanePosition(ALPHA, leg.tx().txHash(), sequence, Hash32.ZERO, 1_000);
  }

  @Test
  void anAtomicRequestWithARefusedTransactionClaimsNothingAndRefusesTheOthersNamingIt() {
    LaneSettlement.Claims claims =
        LaneSettlement.claims(
            true, List.of(Result.ok(leg(0)), Result.err(FEE_TOO_LOW), Result.ok(leg(2))));

    assertThat(claims.legs()).isEmpty();
    assertThat(claims.rejected())
        .extracting(IndexedRejection::index, r -> r.rejection().reason())
        .containsExactly(
            tuple(1, Reason.FEE_TOO_LOW),
            tuple(0, Reason.BUNDLE_REJECTED),
            tuple(2, Reason.BUNDLE_REJECTED));
    assertThat(claims.rejected().get(1).rejection().message())
        .isEqualTo(
            "transaction at index 0 was not preconfirmed: the atomic request was refused at index 1");
  }

  @Test
  void aRequestThatIsNotAtomicClaimsItsAcceptedTransactions() {
    Leg first = leg(0);
    Leg third = leg(2);
    LaneSettlement.Claims claims =
        LaneSettlement.claims(
            false, List.of(Result.ok(first), Result.err(FEE_TOO_LOW), Result.ok(third)));

    assertThat(claims.legs()).containsExactly(first, third);
    assertThat(claims.rejected()).containsExactly(new IndexedRejection(1, FEE_TOO_LOW));
  }

  @Test
  void eachOutcomeSettlesItsLeg() {
    List<Leg> legs = List.of(leg(0), leg(1), leg(2), leg(3));
    LanePosition assigned = position(legs.get(0), 11);
    LaneSettlement.Settled settled =
        LaneSettlement.settle(
            new LaneSettlement.Claims(legs, List.of(new IndexedRejection(4, FEE_TOO_LOW))),
            List.of(
                new LaneOutcome.Assigned(assigned, 9),
                new LaneOutcome.AlreadyPreconfirmed(),
                new LaneOutcome.Refused(NONCE_CONFLICT),
                new LaneOutcome.Skipped()));

    assertThat(settled.assigned())
        .as("signed for the slot its lane chose")
        .containsExactly(legs.get(0).at(9));
    assertThat(settled.positions()).containsExactly(assigned);
    assertThat(settled.existing()).containsExactly(legs.get(1));
    assertThat(settled.rejected())
        .extracting(IndexedRejection::index, r -> r.rejection().reason())
        .containsExactlyInAnyOrder(
            tuple(4, Reason.FEE_TOO_LOW),
            tuple(2, Reason.NONCE_CONFLICT),
            tuple(3, Reason.BUNDLE_REJECTED));
    assertThat(settled.rejected())
        .filteredOn(r -> r.index() == 3)
        .singleElement()
        .satisfies(r -> assertThat(r.rejection().message()).endsWith("refused at index 2"));
  }

  @Test
  void aSequencerAnsweringForOtherLegsThanItWasAskedIsABug() {
    LaneSettlement.Claims claims = new LaneSettlement.Claims(List.of(leg(0), leg(1)), List.of());

    assertThatThrownBy(
            () -> LaneSettlement.settle(claims, List.of(new LaneOutcome.AlreadyPreconfirmed())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("lane sequencer answered 1 outcomes for 2 legs");
  }
}
