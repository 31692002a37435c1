package io.preconf.core.engine;

import static io.preconf.core.testing.EngineFixture.ALPHA;
import static io.preconf.core.testing.EngineFixture.BETA;
import static io.preconf.core.testing.EngineFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.Rejection;
import io.preconf.core.testing.EngineFixture;
import io.preconf.core.testing.InMemoryNode;
import io.preconf.core.tx.TransactionBuilder;
import io.preconf.core.types.Address;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The engine reads senders on the node of a rollup whose senders are checked (alpha here, beta not)
 * and refuses what no block can include; the reservation rules themselves are the lane contract's.
 */
class StateChecksTest {
  private static final BigInteger GWEI = BigInteger.valueOf(1_000_000_000L);
  private static final long GAS = 21_000;
  private static final Duration REUSE = Duration.ofMillis(500);

  private final EngineFixture f = new EngineFixture();

  /** alpha's node: its newest block at the slot in progress, with a base fee of 1 gwei. */
  private final InMemoryNode node = new InMemoryNode(ALPHA, 100, EngineFixture.START / 1000, GWEI);

  private final PreconfirmationEngine engine =
      new PreconfirmationEngine(
          EngineConfig.defaults(),
          EngineFixture.rollups(),
          Signers.signing(EngineFixture.PRECONFER, EngineFixture.PQ),
          new PreconfirmationEngine.Ports(
              f.lanes,
              f.store,
              f.store,
              f.clock,
              new SenderStates(Map.of(ALPHA, node), REUSE, f.clock)),
          Runnable::run,
          f.counters);

  private final Address alice = EngineFixture.sender(1).address();

  /** The next slot is one block after the node's newest: its base fee may be 1.125 gwei. */
  private static final BigInteger NEXT_SLOT_BASE_FEE = BigInteger.valueOf(1_125_000_000L);

  private static final BigInteger MAX_FEE = BigInteger.valueOf(2).multiply(GWEI);
  private static final BigInteger COST =
      MAX_FEE.multiply(BigInteger.valueOf(GAS)).add(BigInteger.ONE);

  private static String tx(int sender, long nonce, BigInteger maxFee) {
    return TransactionBuilder.on(ALPHA)
        .nonce(nonce)
        .gasLimit(GAS)
        .maxFeePerGas(maxFee)
        .maxPriorityFeePerGas(GWEI.min(maxFee))
        .to(Address.fromHex("0x00000000000000000000000000000000000000aa"))
        .value(BigInteger.ONE)
        .sign(EngineFixture.sender(sender))
        .toHex();
  }

  private PreconfirmResult preconfirm(boolean atomic, Long slot, String... txs) {
    return await(engine.preconfirm(new PreconfirmRequest(List.of(txs), atomic, slot)));
  }

  private static Rejection only(PreconfirmResult r) {
    assertThat(r.preconfirmations()).isEmpty();
    assertThat(r.rejected()).hasSize(1);
    return r.rejected().get(0).rejection();
  }

  @Test
  void anUnfundedSenderIsRefusedNamingWhatItNeedsAndHasAndTakesNoPosition() {
    Rejection r = only(preconfirm(false, null, tx(1, 0, MAX_FEE)));

    assertThat(r.code()).isEqualTo(ErrorCode.INVALID_TRANSACTION);
    assertThat(r.reason()).isEqualTo(Reason.INSUFFICIENT_BALANCE);
    assertThat(r.message())
        .contains("sender " + alice.toHex() + " on chain 167000 needs up to " + COST + " wei")
        .contains("above its balance of 0 wei on the rollup's node");
    assertThat(f.lanes.head(ALPHA)).isZero();

    node.account(alice, 0, COST);
    f.clock.advance(REUSE.toMillis());
    PreconfirmResult funded = preconfirm(false, null, tx(1, 0, MAX_FEE));
    assertThat(funded.preconfirmations()).hasSize(1);
    assertThat(funded.preconfirmations().get(0).leaf().sequence()).isEqualTo(1);
  }

  @Test
  void nonceBelowTheNodesAndAGapAreRefusedNamingBothNonces() {
    node.account(alice, 3, COST.multiply(BigInteger.TEN));

    Rejection low = only(preconfirm(false, null, tx(1, 2, MAX_FEE)));
    Rejection gap = only(preconfirm(false, null, tx(1, 4, MAX_FEE)));

    assertThat(low.reason()).isEqualTo(Reason.NONCE_TOO_LOW);
    assertThat(low.message()).contains("nonce 2 on chain 167000 is below its nonce 3");
    assertThat(gap.reason()).isEqualTo(Reason.NONCE_GAP);
    assertThat(gap.message()).contains("nonce 4 on chain 167000 leaves a gap: its next nonce is 3");
    assertThat(f.lanes.head(ALPHA)).isZero();
  }

  @Test
  void oneSendersConsecutiveNoncesInOneRequestPass() {
    node.account(alice, 5, COST.multiply(BigInteger.valueOf(3)));

    PreconfirmResult r =
        preconfirm(false, null, tx(1, 5, MAX_FEE), tx(1, 6, MAX_FEE), tx(1, 7, MAX_FEE));

    assertThat(r.rejected()).isEmpty();
    assertThat(r.preconfirmations()).extracting(p -> p.leaf().nonce()).containsExactly(5L, 6L, 7L);
  }

  @Test
  void theMaxFeeMustCoverTheBaseFeeProjectedOneFullBlockPerSlotToTheTarget() {
    node.account(alice, 0, COST.multiply(BigInteger.TEN));
    BigInteger inThreeSlots = BigInteger.valueOf(1_423_828_125L);

    Rejection r = only(preconfirm(false, 1_003L, tx(1, 0, inThreeSlots.subtract(BigInteger.ONE))));
    PreconfirmResult next = preconfirm(false, null, tx(1, 0, NEXT_SLOT_BASE_FEE));
    PreconfirmResult later = preconfirm(false, 1_003L, tx(1, 1, inThreeSlots));

    assertThat(r.reason()).isEqualTo(Reason.BASE_FEE_TOO_LOW);
    assertThat(r.message())
        .contains("pays at most 1423828124 wei per gas, below the base fee of 1423828125 wei")
        .endsWith("may reach by slot 1003");
    assertThat(next.rejected()).isEmpty();
    assertThat(later.rejected()).isEmpty();
  }

  @Test
  void withoutATargetSlotAFullSlotPassesOnOnlyToSlotsWhoseBaseFeeTheFeeCovers() {
    io.preconf.core.rollup.Rollups rollups =
        io.preconf.core.rollup.Rollups.of(
            List.of(EngineFixture.rollup(ALPHA, "alpha", 1, 30_000_000)));
    EngineFixture oneASlot =
        new EngineFixture(EngineConfig.defaults(), Runnable::run, List.of(), rollups);
    PreconfirmationEngine small =
        new PreconfirmationEngine(
            EngineConfig.defaults(),
            rollups,
            Signers.signing(EngineFixture.PRECONFER, EngineFixture.PQ),
            new PreconfirmationEngine.Ports(
                oneASlot.lanes,
                oneASlot.store,
                oneASlot.store,
                oneASlot.clock,
                new SenderStates(Map.of(ALPHA, node), REUSE, oneASlot.clock)),
            Runnable::run,
            oneASlot.counters);
    BigInteger twoSlots = BigInteger.valueOf(1_265_625_000L);
    for (int sender = 1; sender <= 4; sender++) {
      node.account(EngineFixture.sender(sender).address(), 0, COST.multiply(BigInteger.TEN));
    }

    List<Long> slots = new java.util.ArrayList<>();
    for (int sender = 1; sender <= 2; sender++) {
      PreconfirmResult r =
          await(
              small.preconfirm(
                  new PreconfirmRequest(List.of(tx(sender, 0, twoSlots)), false, null)));
      slots.add(r.preconfirmations().get(0).leaf().targetSlot());
    }
    PreconfirmResult third =
        await(small.preconfirm(new PreconfirmRequest(List.of(tx(3, 0, twoSlots)), false, null)));
    PreconfirmResult richer =
        await(small.preconfirm(new PreconfirmRequest(List.of(tx(4, 0, MAX_FEE)), false, null)));

    assertThat(slots).containsExactly(1_001L, 1_002L);
    Rejection r = only(third);
    assertThat(r.reason()).isEqualTo(Reason.SLOT_CAPACITY_EXCEEDED);
    assertThat(r.message()).contains("no slot from 1001 to 1002");
    assertThat(richer.preconfirmations().get(0).leaf().targetSlot()).isEqualTo(1_003L);
  }

  @Test
  void anUnreachableNodeRefusesItsRollupsLegsNamingTheNodeAndPromisesNothingThere() {
    node.down(true);
    String onBeta =
        EngineFixture.transfer(BETA, 2, 0); // beta's senders are not checked on any node

    PreconfirmResult r = preconfirm(false, null, tx(1, 0, MAX_FEE), onBeta);

    assertThat(r.preconfirmations()).extracting(p -> p.leaf().chainId()).containsExactly(BETA);
    Rejection down = r.rejected().get(0).rejection();
    assertThat(down.reason()).isEqualTo(Reason.BACKEND_UNAVAILABLE);
    assertThat(down.message()).contains("rollup node memory://167000");
    assertThat(f.lanes.head(ALPHA)).isZero();
  }

  @Test
  void anAtomicRequestWithALegOnAnUnreachableNodePromisesNothing() {
    node.down(true);

    PreconfirmResult r =
        preconfirm(true, null, tx(1, 0, MAX_FEE), EngineFixture.transfer(BETA, 2, 0));

    assertThat(r.preconfirmations()).isEmpty();
    assertThat(r.rejected())
        .extracting(x -> x.rejection().reason())
        .containsExactly(Reason.BACKEND_UNAVAILABLE, Reason.BUNDLE_REJECTED);
    assertThat(f.lanes.head(BETA)).isZero();
  }

  @Test
  void aSenderIsReadOnceWithinTheReuseTimeHoweverManyRequests() {
    node.account(alice, 0, COST.multiply(BigInteger.TEN));
    for (int nonce = 0; nonce < 5; nonce++) {
      assertThat(preconfirm(false, null, tx(1, nonce, MAX_FEE)).rejected()).isEmpty();
    }
    assertThat(node.senderReads()).isEqualTo(1);
    assertThat(node.headReads()).isEqualTo(1);

    f.clock.advance(REUSE.toMillis());
    assertThat(preconfirm(false, null, tx(1, 5, MAX_FEE)).rejected()).isEmpty();

    assertThat(node.senderReads()).isEqualTo(2);
    assertThat(node.headReads()).isEqualTo(2);
  }

  @Test
  void aFailedReadingIsNotReused() {
    node.account(alice, 0, COST);
    node.down(true);
    assertThat(only(preconfirm(false, null, tx(1, 0, MAX_FEE))).reason())
        .isEqualTo(Reason.BACKEND_UNAVAILABLE);

    node.down(false);

    assertThat(preconfirm(false, null, tx(1, 0, MAX_FEE)).rejected()).isEmpty();
  }
}
