package io.preconf.core.engine;

import static io.preconf.core.testing.EngineFixture.ALPHA;
import static io.preconf.core.testing.EngineFixture.BETA;
import static io.preconf.core.testing.EngineFixture.await;
import static io.preconf.core.testing.EngineFixture.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.commit.CommitmentTypedData;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.crypto.EcdsaSignatures;
import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.RejectedException;
import io.preconf.core.error.Rejection;
import io.preconf.core.merkle.MerkleTree;
import io.preconf.core.testing.EngineFixture;
import io.preconf.core.tx.TransactionBuilder;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class PreconfirmationEngineTest {
  private final EngineFixture f = new EngineFixture();

  private PreconfirmResult preconfirm(boolean atomic, String... txs) {
    return await(f.engine.preconfirm(new PreconfirmRequest(List.of(txs), atomic, null)));
  }

  @Test
  void preconfirmsOneTransactionAsASingleLeafTree() {
    String tx = transfer(ALPHA, 1, 0);
    PreconfirmResult r = preconfirm(false, tx);

    assertThat(r.rejected()).isEmpty();
    assertThat(r.preconfirmations()).hasSize(1);
    Preconfirmation p = r.preconfirmations().get(0);
    assertThat(p.leaf().sequence()).isEqualTo(1);
    assertThat(p.leaf().previous()).isEqualTo(Hash32.ZERO);
    assertThat(p.leaf().sender()).isEqualTo(EngineFixture.sender(1).address());
    assertThat(p.leaf().targetSlot()).isEqualTo(1_001);
    assertThat(p.proof()).isEmpty();
    assertThat(p.commitment().root()).isEqualTo(p.id());
    assertThat(p.commitment().expiresAt() - p.commitment().issuedAt()).isEqualTo(3_600_000);
    assertThat(p.commitment().pqSignature()).isNotNull();
    Hash32 digest =
        CommitmentTypedData.digest(
            p.commitment().root(), p.commitment().issuedAt(), p.commitment().expiresAt(), false);
    assertThat(EcdsaSignatures.recover(digest, p.commitment().signature()))
        .contains(EngineFixture.PRECONFER.address());
    assertThat(f.store.size()).isEqualTo(1);
    assertThat(f.store.published()).containsExactly(p);
    assertThat(await(f.validation.validate(p, null)).errors()).isEmpty();
  }

  @Test
  void atomicCrossRollupBundleSharesOneRootAndEveryProofVerifies() {
    PreconfirmResult r =
        preconfirm(true, transfer(ALPHA, 1, 0), transfer(BETA, 2, 0), transfer(ALPHA, 3, 0));

    assertThat(r.rejected()).isEmpty();
    assertThat(r.preconfirmations()).hasSize(3);
    Hash32 root = r.preconfirmations().get(0).commitment().root();
    for (Preconfirmation p : r.preconfirmations()) {
      assertThat(p.commitment().root()).isEqualTo(root);
      assertThat(p.commitment().atomic()).isTrue();
      assertThat(MerkleTree.verify(root, p.id(), p.proof())).isTrue();
      assertThat(await(f.validation.validate(p, null)).valid()).isTrue();
    }
    assertThat(r.preconfirmations())
        .extracting(p -> p.leaf().chainId())
        .containsExactly(ALPHA, BETA, ALPHA);
    assertThat(r.preconfirmations())
        .extracting(p -> p.leaf().sequence())
        .containsExactly(1L, 1L, 2L);
    assertThat(r.preconfirmations().get(2).leaf().previous())
        .isEqualTo(r.preconfirmations().get(0).txHash());
  }

  @Test
  void atomicBundleWithOneBadLegConsumesNoLaneAndListsEveryIndex() {
    String badChain = transfer(ChainId.of(999), 2, 0);
    PreconfirmResult r = preconfirm(true, transfer(ALPHA, 1, 0), badChain, transfer(BETA, 3, 0));

    assertThat(r.preconfirmations()).isEmpty();
    assertThat(r.rejected()).extracting(IndexedRejection::index).containsExactly(0, 1, 2);
    assertThat(r.rejected().get(1).rejection().reason()).isEqualTo(Reason.UNSUPPORTED_CHAIN);
    assertThat(r.rejected().get(1).rejection().message()).contains("999");
    assertThat(r.rejected().get(0).rejection().reason()).isEqualTo(Reason.BUNDLE_REJECTED);
    assertThat(r.rejected().get(0).rejection().message()).contains("index 1");
    assertThat(f.lanes.head(ALPHA)).isZero();
    assertThat(f.lanes.head(BETA)).isZero();
    assertThat(f.store.size()).isZero();
  }

  @Test
  void nonAtomicRequestPreconfirmsTheGoodAndRejectsTheBadByIndex() {
    PreconfirmResult r = preconfirm(false, transfer(ALPHA, 1, 0), "0x02zz", transfer(BETA, 3, 0));

    assertThat(r.preconfirmations()).hasSize(2);
    assertThat(r.rejected()).hasSize(1);
    IndexedRejection bad = r.rejected().get(0);
    assertThat(bad.index()).isEqualTo(1);
    assertThat(bad.rejection().code()).isEqualTo(ErrorCode.INVALID_TRANSACTION);
    assertThat(bad.rejection().reason()).isEqualTo(Reason.MALFORMED_HEX);
    assertThat(bad.rejection().message()).contains("transactions[1]").contains("'z'");
  }

  @Test
  void resubmittingATransactionReturnsTheSamePreconfirmation() {
    String tx = transfer(ALPHA, 1, 0);
    Preconfirmation first = preconfirm(false, tx).preconfirmations().get(0);
    f.clock.advance(500);
    PreconfirmResult again = preconfirm(false, tx);

    assertThat(again.rejected()).isEmpty();
    assertThat(again.preconfirmations()).containsExactly(first);
    assertThat(f.lanes.head(ALPHA)).isEqualTo(1);
  }

  @Test
  void secondTransactionWithSameSenderAndNonceIsANonceConflict() {
    preconfirm(false, transfer(ALPHA, 1, 0));
    String other =
        TransactionBuilder.on(ALPHA)
            .nonce(0)
            .value(BigInteger.TWO)
            .to(EngineFixture.sender(9).address())
            .sign(EngineFixture.sender(1))
            .toHex();
    PreconfirmResult r = preconfirm(false, other);

    assertThat(r.preconfirmations()).isEmpty();
    assertThat(r.rejected().get(0).rejection().reason()).isEqualTo(Reason.NONCE_CONFLICT);
  }

  @Test
  void sameNonceTwiceInOneRequestIsANonceConflictNamingBothIndexes() {
    String a = transfer(ALPHA, 1, 5);
    String b =
        TransactionBuilder.on(ALPHA)
            .nonce(5)
            .value(BigInteger.TEN)
            .to(EngineFixture.sender(2).address())
            .sign(EngineFixture.sender(1))
            .toHex();
    PreconfirmResult r = preconfirm(false, a, b);

    assertThat(r.preconfirmations()).hasSize(1);
    assertThat(r.rejected().get(0).rejection().reason()).isEqualTo(Reason.NONCE_CONFLICT);
    assertThat(r.rejected().get(0).rejection().message()).contains("indexes 0 and 1");
  }

  @Test
  void sameTransactionTwiceInOneRequestIsRefusedAsDuplicate() {
    String tx = transfer(ALPHA, 1, 0);
    PreconfirmResult r = preconfirm(false, tx, tx);

    assertThat(r.preconfirmations()).hasSize(1);
    assertThat(r.rejected().get(0).rejection().reason()).isEqualTo(Reason.DUPLICATE_IN_REQUEST);
  }

  @Test
  void mevProtectionRefusesOneSendersNoncesOutOfOrderInALane() {
    PreconfirmResult r = preconfirm(false, transfer(ALPHA, 1, 6), transfer(ALPHA, 1, 5));

    assertThat(r.preconfirmations()).hasSize(1);
    Rejection why = r.rejected().get(0).rejection();
    assertThat(why.code()).isEqualTo(ErrorCode.MEV_PROTECTION_FAILED);
    assertThat(why.reason()).isEqualTo(Reason.NONCE_ORDER);
  }

  @Test
  void storeOutageGivesBackendUnavailableNoPromiseAndVoidsThePosition() {
    f.store.failWith(
        new RejectedException(
            Rejection.backendUnavailable("PostgreSQL at 127.0.0.1:5439 is down")));
    String tx = transfer(ALPHA, 1, 0);
    PreconfirmResult r = preconfirm(false, tx);

    assertThat(r.preconfirmations()).isEmpty();
    assertThat(r.rejected().get(0).rejection().reason()).isEqualTo(Reason.BACKEND_UNAVAILABLE);
    assertThat(r.rejected().get(0).rejection().message()).contains("127.0.0.1:5439");
    assertThat(f.lanes.isVoid(ALPHA, 1)).isTrue();
    assertThat(f.store.published()).isEmpty();

    f.store.failWith(null);
    PreconfirmResult retry = preconfirm(false, tx);
    assertThat(retry.preconfirmations()).hasSize(1);
    assertThat(retry.preconfirmations().get(0).leaf().sequence()).isEqualTo(2);
  }

  /**
   * The lanes keep claims for a while only; the store keeps the record. A resubmission after the
   * claim lapsed is still answered with the recorded promise, and a second transaction for the same
   * (sender, nonce) is still refused: the new positions they took are voided.
   */
  @Test
  void afterItsClaimLapsedATransactionIsStillAnsweredWithItsRecordAndItsNonceStillRefused() {
    String tx = transfer(ALPHA, 1, 0);
    Preconfirmation first = preconfirm(false, tx).preconfirmations().get(0);
    f.lanes.expireClaims();

    PreconfirmResult again = preconfirm(false, tx);
    assertThat(again.preconfirmations()).containsExactly(first);
    assertThat(again.rejected()).isEmpty();
    assertThat(f.lanes.isVoid(ALPHA, 2)).isTrue();

    String sameNonce =
        TransactionBuilder.on(ALPHA)
            .nonce(0)
            .to(first.leaf().sender())
            .value(BigInteger.TWO)
            .sign(EngineFixture.sender(1))
            .toHex();
    PreconfirmResult refused = preconfirm(false, sameNonce);
    assertThat(refused.preconfirmations()).isEmpty();
    assertThat(refused.rejected().get(0).rejection().reason()).isEqualTo(Reason.NONCE_CONFLICT);
    assertThat(f.lanes.isVoid(ALPHA, 3)).isTrue();
    assertThat(f.store.size()).isEqualTo(1);
  }

  @Test
  void laneOutageGivesBackendUnavailableForEveryLeg() {
    f.lanes.failWith(
        new RejectedException(Rejection.backendUnavailable("Redis at 127.0.0.1:6390 is down")));
    PreconfirmResult r = preconfirm(false, transfer(ALPHA, 1, 0), transfer(BETA, 2, 0));

    assertThat(r.preconfirmations()).isEmpty();
    assertThat(r.rejected())
        .extracting(x -> x.rejection().reason())
        .containsExactly(Reason.BACKEND_UNAVAILABLE, Reason.BACKEND_UNAVAILABLE);
    assertThat(f.store.size()).isZero();
  }

  @Test
  void emptyAndOversizedRequestsAreRefusedAsAWhole() {
    PreconfirmResult empty =
        await(f.engine.preconfirm(new PreconfirmRequest(List.of(), false, null)));
    assertThat(empty.error().reason()).isEqualTo(Reason.EMPTY_REQUEST);

    List<String> many = new ArrayList<>();
    for (int i = 0; i < 257; i++) {
      many.add("0x00");
    }
    PreconfirmResult tooMany = await(f.engine.preconfirm(new PreconfirmRequest(many, false, null)));
    assertThat(tooMany.error().reason()).isEqualTo(Reason.TOO_MANY_TRANSACTIONS);
    assertThat(tooMany.error().message()).contains("257").contains("256");
  }

  @Test
  void targetSlotMustBeInTheFutureAndWithinLookahead() {
    String tx = transfer(ALPHA, 1, 0);
    PreconfirmResult past =
        await(f.engine.preconfirm(new PreconfirmRequest(List.of(tx), false, 1_000L)));
    assertThat(past.rejected().get(0).rejection().reason()).isEqualTo(Reason.SLOT_IN_PAST);
    assertThat(past.rejected().get(0).rejection().message()).contains("1000");

    PreconfirmResult far =
        await(f.engine.preconfirm(new PreconfirmRequest(List.of(tx), false, 1_033L)));
    assertThat(far.rejected().get(0).rejection().reason()).isEqualTo(Reason.SLOT_BEYOND_LOOKAHEAD);

    PreconfirmResult ok =
        await(f.engine.preconfirm(new PreconfirmRequest(List.of(tx), false, 1_032L)));
    assertThat(ok.preconfirmations().get(0).leaf().targetSlot()).isEqualTo(1_032L);
  }

  @Test
  void feeAndGasRulesNameTheBadValue() {
    String lowTip =
        TransactionBuilder.on(ALPHA)
            .to(EngineFixture.sender(9).address())
            .maxPriorityFeePerGas(BigInteger.valueOf(999_999))
            .sign(EngineFixture.sender(1))
            .toHex();
    String tooMuchGas =
        TransactionBuilder.on(ALPHA)
            .nonce(1)
            .to(EngineFixture.sender(9).address())
            .gasLimit(30_000_001)
            .sign(EngineFixture.sender(1))
            .toHex();
    String tipAboveMax =
        TransactionBuilder.on(ALPHA)
            .nonce(2)
            .to(EngineFixture.sender(9).address())
            .maxFeePerGas(BigInteger.valueOf(5_000_000))
            .maxPriorityFeePerGas(BigInteger.valueOf(6_000_000))
            .sign(EngineFixture.sender(1))
            .toHex();
    PreconfirmResult r = preconfirm(false, lowTip, tooMuchGas, tipAboveMax);

    assertThat(r.rejected())
        .extracting(x -> x.rejection().reason())
        .containsExactly(
            Reason.FEE_TOO_LOW, Reason.GAS_LIMIT_EXCEEDED, Reason.PRIORITY_FEE_ABOVE_MAX_FEE);
    assertThat(r.rejected().get(0).rejection().message()).contains("999999").contains("1000000");
    assertThat(r.rejected().get(1).rejection().message()).contains("30000001");
  }

  /** An engine whose alpha slots take 2 preconfirmations and whose beta slots take 50,000 gas. */
  private static EngineFixture smallSlots() {
    return new EngineFixture(
        EngineConfig.defaults(),
        Runnable::run,
        List.of(),
        io.preconf.core.rollup.Rollups.of(
            List.of(
                EngineFixture.rollup(ALPHA, "alpha", 2, 1_000_000),
                EngineFixture.rollup(BETA, "beta", 100, 50_000))));
  }

  @Test
  void slotCapacityInCountAndGasIsPassedToTheLaneAndEnforcedForARequestedSlot() {
    EngineFixture small = smallSlots();
    PreconfirmResult byCount =
        await(
            small.engine.preconfirm(
                new PreconfirmRequest(
                    List.of(transfer(ALPHA, 1, 0), transfer(ALPHA, 2, 0), transfer(ALPHA, 3, 0)),
                    false,
                    1_001L)));
    assertThat(byCount.preconfirmations()).hasSize(2);
    assertThat(byCount.rejected().get(0).index()).isEqualTo(2);
    assertThat(byCount.rejected().get(0).rejection().reason())
        .isEqualTo(Reason.SLOT_CAPACITY_EXCEEDED);
    assertThat(byCount.rejected().get(0).rejection().message()).contains("slot 1001");

    PreconfirmResult byGas =
        await(
            small.engine.preconfirm(
                new PreconfirmRequest(
                    List.of(transfer(BETA, 1, 0), transfer(BETA, 2, 0), transfer(BETA, 3, 0)),
                    false,
                    1_001L)));
    assertThat(byGas.preconfirmations()).hasSize(2);
    assertThat(byGas.rejected().get(0).rejection().reason())
        .isEqualTo(Reason.SLOT_CAPACITY_EXCEEDED);
  }

  @Test
  void withoutATargetSlotAFullSlotPassesTheTransactionToTheEarliestSlotWithRoom() {
    EngineFixture small = smallSlots();
    PreconfirmResult r =
        await(
            small.engine.preconfirm(
                new PreconfirmRequest(
                    List.of(
                        transfer(ALPHA, 1, 0),
                        transfer(ALPHA, 2, 0),
                        transfer(ALPHA, 3, 0),
                        transfer(ALPHA, 4, 0),
                        transfer(ALPHA, 5, 0)),
                    false,
                    null)));

    assertThat(r.rejected()).isEmpty();
    assertThat(r.preconfirmations())
        .extracting(p -> p.leaf().targetSlot())
        .containsExactly(1_001L, 1_001L, 1_002L, 1_002L, 1_003L);
    // Slot 1001 stays full for the next request; 1003 has one place left.
    PreconfirmResult next =
        await(
            small.engine.preconfirm(
                new PreconfirmRequest(List.of(transfer(ALPHA, 6, 0)), false, null)));
    assertThat(next.preconfirmations().get(0).leaf().targetSlot()).isEqualTo(1_003L);
  }

  @Test
  void withoutATargetSlotEveryFullSlotOfTheLookaheadRefusesNamingTheRange() {
    EngineFixture small = smallSlots();
    List<String> txs = new java.util.ArrayList<>();
    for (int i = 1; i <= 2 * 32 + 1; i++) {
      txs.add(transfer(ALPHA, i, 0));
    }
    PreconfirmResult r = await(small.engine.preconfirm(new PreconfirmRequest(txs, false, null)));

    assertThat(r.preconfirmations()).hasSize(2 * 32);
    assertThat(r.preconfirmations().get(2 * 32 - 1).leaf().targetSlot()).isEqualTo(1_032L);
    assertThat(r.rejected()).hasSize(1);
    assertThat(r.rejected().get(0).rejection().reason()).isEqualTo(Reason.SLOT_CAPACITY_EXCEEDED);
    assertThat(r.rejected().get(0).index()).isEqualTo(2 * 32);
    assertThat(r.rejected().get(0).rejection().message())
        .contains("no slot from 1001 to 1032")
        .contains("has room");
  }

  @Test
  void withoutATargetSlotThePromiseLeavesTheDeliveryLeadBeforeItsSlot() {
    EngineFixture lead =
        new EngineFixture(
            EngineConfig.defaults(),
            Runnable::run,
            List.of(),
            io.preconf.core.rollup.Rollups.of(
                List.of(
                    io.preconf.core.rollup.RollupConfig.builder(
                            ALPHA, "alpha", EngineFixture.START - 1_000 * 2_000)
                        .slotDurationMs(2_000)
                        .deliveryLeadMs(5_000)
                        .build())));
    lead.clock.advance(1);
    PreconfirmResult r =
        await(
            lead.engine.preconfirm(
                new PreconfirmRequest(List.of(transfer(ALPHA, 1, 0)), false, null)));

    // 1 ms into slot 1000, slot 1003 is the first to start 5 s or more later (5,999 ms).
    assertThat(r.preconfirmations().get(0).leaf().targetSlot()).isEqualTo(1_003L);
  }

  /** An engine whose every hop to its executor is counted, then run on {@code pool}. */
  private static EngineFixture countingHops(
      ExecutorService pool, java.util.concurrent.atomic.AtomicInteger hops) {
    return new EngineFixture(
        io.preconf.core.engine.EngineConfig.defaults(),
        task -> {
          hops.incrementAndGet();
          pool.execute(task);
        });
  }

  @Test
  void aLoneTransactionIsDecodedWhereItArrivesAndOnlyTheSigningHops() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    java.util.concurrent.atomic.AtomicInteger hops =
        new java.util.concurrent.atomic.AtomicInteger();
    try {
      EngineFixture counted = countingHops(pool, hops);
      String tx = transfer(ALPHA, 3, 0);
      PreconfirmResult r =
          counted
              .engine
              .preconfirm(new PreconfirmRequest(List.of(tx), false, null))
              .await()
              .atMost(java.time.Duration.ofSeconds(20));

      assertThat(r.preconfirmations()).hasSize(1);
      assertThat(r.preconfirmations().get(0).txHash())
          .isEqualTo(io.preconf.core.crypto.Keccak.hash(Bytes.fromHex("tx", tx).toArray()));
      assertThat(hops.get()).as("hops to the executor: the round's signing only").isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void parallelDecodingGivesTheSameAnswerAsSerial() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    java.util.concurrent.atomic.AtomicInteger hops =
        new java.util.concurrent.atomic.AtomicInteger();
    try {
      EngineFixture parallel = countingHops(pool, hops);
      List<String> txs = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        txs.add(transfer(i % 2 == 0 ? ALPHA : BETA, i, 0));
      }
      txs.set(7, "0x01");
      PreconfirmResult r =
          parallel
              .engine
              .preconfirm(new PreconfirmRequest(txs, false, null))
              .await()
              .atMost(java.time.Duration.ofSeconds(20));
      assertThat(r.preconfirmations()).hasSize(49);
      assertThat(r.rejected()).extracting(IndexedRejection::index).containsExactly(7);
      List<String> others = new ArrayList<>(txs);
      others.remove(7);
      for (int i = 0; i < others.size(); i++) {
        assertThat(r.preconfirmations().get(i).txHash())
            .as("preconfirmation %d in request order", i)
            .isEqualTo(
                io.preconf.core.crypto.Keccak.hash(Bytes.fromHex("tx", others.get(i)).toArray()));
      }
      // One hop per core's slice of the transactions and one to sign, not one per transaction.
      assertThat(hops.get()).isLessThanOrEqualTo(Runtime.getRuntime().availableProcessors() + 1);
    } finally {
      pool.shutdownNow();
    }
  }
}
