package io.preconf.core.reconcile;

import static io.preconf.core.testing.EngineFixture.ALPHA;
import static io.preconf.core.testing.EngineFixture.BETA;
import static io.preconf.core.testing.EngineFixture.SLOT_MS;
import static io.preconf.core.testing.EngineFixture.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.commit.Finality;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.commit.Status;
import io.preconf.core.commit.StatusChange;
import io.preconf.core.crypto.Keccak;
import io.preconf.core.engine.EngineConfig;
import io.preconf.core.engine.PreconfirmRequest;
import io.preconf.core.error.Reason;
import io.preconf.core.finality.Block;
import io.preconf.core.finality.Evidence;
import io.preconf.core.finality.EvidenceVerifier;
import io.preconf.core.finality.FinalityConfig;
import io.preconf.core.finality.ViolationKind;
import io.preconf.core.testing.EngineFixture;
import io.preconf.core.testing.InMemoryLedger;
import io.preconf.core.types.Address;
import io.preconf.core.types.Hash32;
import io.preconf.core.wire.WireBlock;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReconciliationTest {
  private static final Set<Address> TRUSTED = Set.of(EngineFixture.PRECONFER.address());

  private EngineFixture f = new EngineFixture();
  private final InMemoryLedger ledger = new InMemoryLedger();
  private Reconciliation finality = reconciliation(FinalityConfig.defaults());
  private int senders = 100;

  private Reconciliation reconciliation(FinalityConfig config) {
    return new Reconciliation(
        config, EngineFixture.rollups(), new Reconciliation.Ports(ledger, ledger, f.clock));
  }

  static <T> T await(Uni<T> uni) {
    return uni.subscribe().withSubscriber(UniAssertSubscriber.create()).awaitItem().getItem();
  }

  private Preconfirmation promise(Long targetSlot) {
    var r =
        await(
            f.engine.preconfirm(
                new PreconfirmRequest(List.of(transfer(ALPHA, senders++, 0)), false, targetSlot)));
    assertThat(r.rejected()).isEmpty();
    ledger.track(r.preconfirmations());
    return r.preconfirmations().get(0);
  }

  private static Hash32 hash(String label) {
    return Keccak.hash(label.getBytes(StandardCharsets.UTF_8));
  }

  private static Hash32 tx(String label) {
    return hash("tx " + label);
  }

  /** Block {@code label} at {@code number} on top of block {@code parent}. */
  private static Block block(String label, long number, String parent, long slot, Hash32... txs) {
    return new Block(ALPHA, number, hash(label), hash(parent), slot, List.of(txs));
  }

  private ReconcileResult reconcile(Block b) {
    return await(finality.reconcile(b));
  }

  private Status status(Preconfirmation p) {
    return ledger.state(p).status();
  }

  /** Blocks 1..n named "b1".."bn", one per slot from slot 1000, carrying {@code txs} in block 1. */
  private void chain(int n, Hash32... txsInFirst) {
    for (int i = 1; i <= n; i++) {
      ReconcileResult r =
          reconcile(block("b" + i, i, "b" + (i - 1), 1_000, i == 1 ? txsInFirst : new Hash32[0]));
      assertThat(r.outcome()).isEqualTo(ReconcileResult.Outcome.APPLIED);
    }
  }

  // ------------------------------------------------------------------ inclusion and finality

  @Test
  void includedTransactionGetsItsFinalityRecordAndIsFinalizedAtDepth() {
    Preconfirmation p = promise(null);
    chain(1, tx("other"), p.txHash());

    assertThat(status(p)).isEqualTo(Status.INCLUDED);
    assertThat(ledger.state(p).finality()).isEqualTo(new Finality(1, hash("b1"), 1));

    for (int i = 2; i <= 12; i++) {
      reconcile(block("b" + i, i, "b" + (i - 1), 1_000));
    }
    assertThat(status(p)).isEqualTo(Status.INCLUDED);
    ReconcileResult r = reconcile(block("b13", 13, "b12", 1_000));

    assertThat(status(p)).isEqualTo(Status.FINALIZED);
    assertThat(r.changes()).extracting(StatusChange::status).containsExactly(Status.FINALIZED);
    assertThat(r.changes().get(0).finality()).isEqualTo(new Finality(1, hash("b1"), 1));
    assertThat(ledger.published)
        .extracting(StatusChange::status)
        .containsExactly(Status.INCLUDED, Status.FINALIZED);
  }

  @Test
  void finalityDepthIsConfigurable() {
    finality = reconciliation(new FinalityConfig(2, 1));
    Preconfirmation p = promise(null);
    chain(2, p.txHash());
    assertThat(status(p)).isEqualTo(Status.INCLUDED);
    reconcile(block("b3", 3, "b2", 1_000));
    assertThat(status(p)).isEqualTo(Status.FINALIZED);
  }

  @Test
  void sameBlockTwiceIsANoOp() {
    Preconfirmation p = promise(null);
    Block b = block("b1", 1, "b0", 1_000, p.txHash());
    reconcile(b);
    int commits = ledger.commits;
    int published = ledger.published.size();

    ReconcileResult again = reconcile(b);

    assertThat(again.outcome()).isEqualTo(ReconcileResult.Outcome.DUPLICATE);
    assertThat(again.changes()).isEmpty();
    assertThat(ledger.commits).isEqualTo(commits);
    assertThat(ledger.published).hasSize(published);
  }

  // ------------------------------------------------------------------ violations

  @Test
  void missedTargetSlotIsAViolationWithEvidenceThatVerifies() {
    Preconfirmation p = promise(null); // target slot 1001
    reconcile(block("b1", 1, "b0", 1_001, tx("a")));
    assertThat(status(p))
        .as("a block at the target slot proves nothing yet")
        .isEqualTo(Status.PRECONFIRMED);

    f.clock.advance(SLOT_MS);
    ReconcileResult r = reconcile(block("b2", 2, "b1", 1_002, tx("b")));

    assertThat(status(p)).isEqualTo(Status.VIOLATED);
    assertThat(r.violations()).hasSize(1);
    Evidence e = r.violations().get(0).evidence();
    assertThat(e.kind()).isEqualTo(ViolationKind.NOT_INCLUDED_BY_TARGET_SLOT);
    assertThat(e.preconfirmations()).containsExactly(p);
    assertThat(e.blocks()).extracting(Block::slot).containsExactly(1_002L);
    assertThat(EvidenceVerifier.verify(e, TRUSTED)).isEmpty();
    assertThat(EvidenceVerifier.verify(e, Set.of())).anyMatch(m -> m.contains("not trusted"));

    Block early = new Block(ALPHA, 2, hash("b2"), hash("b1"), 1_001, List.of(tx("b")));
    Evidence tampered =
        new Evidence(
            e.kind(),
            e.reason(),
            e.rollup(),
            e.preconfirmations(),
            List.of(early),
            List.of(),
            e.detectedAt());
    assertThat(EvidenceVerifier.verify(tampered, TRUSTED)).isNotEmpty();
  }

  @Test
  void inclusionAfterTheTargetSlotIsAViolationThatKeepsItsFinalityRecord() {
    Preconfirmation p = promise(null);
    f.clock.advance(SLOT_MS);
    ReconcileResult r = reconcile(block("b1", 1, "b0", 1_002, p.txHash()));

    assertThat(status(p)).isEqualTo(Status.VIOLATED);
    assertThat(ledger.state(p).finality()).isEqualTo(new Finality(1, hash("b1"), 0));
    assertThat(EvidenceVerifier.verify(r.violations().get(0).evidence(), TRUSTED)).isEmpty();
  }

  @Test
  void laterSequenceIncludedFirstInTheSameBlockReversesTheOrder() {
    Preconfirmation a = promise(null);
    Preconfirmation b = promise(null);
    assertThat(b.sequence()).isGreaterThan(a.sequence());

    ReconcileResult r = reconcile(block("b1", 1, "b0", 1_000, b.txHash(), a.txHash()));

    assertThat(status(a)).isEqualTo(Status.VIOLATED);
    assertThat(status(b)).isEqualTo(Status.INCLUDED);
    assertThat(r.violations()).hasSize(1);
    Evidence e = r.violations().get(0).evidence();
    assertThat(e.kind()).isEqualTo(ViolationKind.ORDER_REVERSED);
    assertThat(e.preconfirmations()).containsExactly(a, b);
    assertThat(EvidenceVerifier.verify(e, TRUSTED)).isEmpty();
  }

  @Test
  void laterSequenceIncludedInAnEarlierBlockReversesTheOrderAndTheEvidenceCarriesBothBlocks() {
    Preconfirmation a = promise(null);
    Preconfirmation b = promise(null);
    reconcile(block("b1", 1, "b0", 1_000, b.txHash()));
    ReconcileResult r = reconcile(block("b2", 2, "b1", 1_000, a.txHash()));

    assertThat(status(a)).isEqualTo(Status.VIOLATED);
    Evidence e = r.violations().get(0).evidence();
    assertThat(e.blocks()).extracting(Block::number).containsExactlyInAnyOrder(1L, 2L);
    assertThat(EvidenceVerifier.verify(e, TRUSTED)).isEmpty();
  }

  @Test
  void inOrderInclusionIsNoViolation() {
    Preconfirmation a = promise(null);
    Preconfirmation b = promise(null);
    ReconcileResult r = reconcile(block("b1", 1, "b0", 1_000, a.txHash(), b.txHash()));
    assertThat(r.violations()).isEmpty();
    assertThat(status(a)).isEqualTo(Status.INCLUDED);
    assertThat(status(b)).isEqualTo(Status.INCLUDED);
  }

  @Test
  void aBacklogOfOverduePromisesIsWorkedOffOverSeveralBlocks() {
    List<Preconfirmation> promises = new ArrayList<>();
    for (int batch = 0; batch < 2; batch++) {
      List<String> txs = new ArrayList<>();
      for (int i = 0; i < 150; i++) {
        txs.add(transfer(ALPHA, senders++, 0));
      }
      var r = await(f.engine.preconfirm(new PreconfirmRequest(txs, false, null)));
      ledger.track(r.preconfirmations());
      promises.addAll(r.preconfirmations());
    }
    f.clock.advance(SLOT_MS);

    ReconcileResult first = reconcile(block("b1", 1, "b0", 1_002));
    ReconcileResult second = reconcile(block("b2", 2, "b1", 1_002));

    assertThat(first.violations()).hasSize(Reconciliation.SWEEP_LIMIT);
    assertThat(second.violations()).hasSize(300 - Reconciliation.SWEEP_LIMIT);
    assertThat(promises).allMatch(p -> status(p) == Status.VIOLATED);
  }

  // ------------------------------------------------------------------ expiry

  @Test
  void aPromiseThatExpiredBeforeItsDeadlineIsExpiredNotViolated() {
    f = new EngineFixture(shortTtl(), Runnable::run);
    finality = reconciliation(FinalityConfig.defaults());
    Preconfirmation p = promise(1_005L);

    f.clock.advance(3 * SLOT_MS);
    ReconcileResult r = reconcile(block("b1", 1, "b0", 1_002));

    assertThat(status(p)).as("lapsed unused before its slot came").isEqualTo(Status.EXPIRED);
    assertThat(r.violations()).isEmpty();

    // The transaction lands anyway: the status follows it, and it is no violation.
    reconcile(block("b2", 2, "b1", 1_003, p.txHash()));
    assertThat(status(p)).isEqualTo(Status.INCLUDED);
  }

  private static EngineConfig shortTtl() {
    EngineConfig d = EngineConfig.defaults();
    return new EngineConfig(
        d.maxTransactionBytes(),
        d.maxInitCodeBytes(),
        d.maxTransactionsPerRequest(),
        Duration.ofSeconds(1),
        d.preconfirmationTimeout(),
        d.validationTimeout(),
        d.mevProtection(),
        false,
        false,
        false,
        d.verifiedRootCacheSize());
  }

  @Test
  void aPromiseWhoseDeliveryFailedIsNeverViolatedAndExpiresAtItsExpiry() {
    Preconfirmation p = promise(null); // target 1001, expires an hour on
    ledger.deliveryFailed(p);
    f.clock.advance(SLOT_MS);
    reconcile(block("b1", 1, "b0", 1_002));
    assertThat(status(p)).as("past its target slot").isEqualTo(Status.DELIVERY_FAILED);
    assertThat(ledger.violations).isEmpty();

    long afterExpiry = (p.commitment().expiresAt() - EngineFixture.START) / SLOT_MS + 1_001;
    f.clock.advance(p.commitment().expiresAt() - f.clock.nowMillis() + SLOT_MS);
    ReconcileResult r = reconcile(block("b2", 2, "b1", afterExpiry));

    assertThat(status(p)).isEqualTo(Status.EXPIRED);
    assertThat(r.changes()).extracting(StatusChange::status).containsExactly(Status.EXPIRED);
    assertThat(r.changes().get(0).reason()).contains("after its delivery failed");
  }

  // ------------------------------------------------------------------ reorgs

  @Test
  void reorgRevertsTheOrphanedInclusionAndTheReplacementBranchIncludesItLater() {
    Preconfirmation p = promise(1_010L);
    reconcile(block("b1", 1, "b0", 1_000));
    reconcile(block("b2a", 2, "b1", 1_000, p.txHash()));
    reconcile(block("b3a", 3, "b2a", 1_000));
    assertThat(ledger.state(p).finality().blockHash()).isEqualTo(hash("b2a"));

    ReconcileResult r = reconcile(block("b2b", 2, "b1", 1_000, tx("x")));

    assertThat(r.outcome()).isEqualTo(ReconcileResult.Outcome.APPLIED);
    assertThat(r.reorg().orphaned()).containsExactly(hash("b2a"), hash("b3a"));
    assertThat(r.reorg().replaced()).isEqualTo(hash("b2a"));
    assertThat(status(p)).isEqualTo(Status.PRECONFIRMED);
    assertThat(ledger.state(p).finality()).isNull();
    assertThat(r.changes()).extracting(StatusChange::status).containsExactly(Status.PRECONFIRMED);
    assertThat(r.changes().get(0).reason()).startsWith("reorg");

    reconcile(block("b3b", 3, "b2b", 1_001, p.txHash()));
    assertThat(status(p)).isEqualTo(Status.INCLUDED);
    assertThat(ledger.state(p).finality()).isEqualTo(new Finality(3, hash("b3b"), 0));
  }

  @Test
  void reorgRetractsAViolationShownByAnOrphanedBlock() {
    Preconfirmation p = promise(null); // target 1001
    reconcile(block("b1", 1, "b0", 1_000));
    f.clock.advance(SLOT_MS);
    reconcile(block("b2a", 2, "b1", 1_002));
    assertThat(status(p)).isEqualTo(Status.VIOLATED);

    reconcile(block("b2b", 2, "b1", 1_001, p.txHash()));

    assertThat(status(p)).isEqualTo(Status.INCLUDED);
    assertThat(ledger.violations).isEmpty();
    assertThat(ledger.retracted).hasSize(1);
  }

  @Test
  void reorgUndoesFinalizationWhenTheFinalizingBlockIsOrphaned() {
    finality = reconciliation(new FinalityConfig(2, 1));
    Preconfirmation p = promise(null);
    chain(3, p.txHash()); // included at 1, finalized by 3
    assertThat(status(p)).isEqualTo(Status.FINALIZED);

    reconcile(block("b3x", 3, "b2", 1_000));
    assertThat(status(p)).as("block 3x finalizes it again").isEqualTo(Status.FINALIZED);
    assertThat(ledger.published)
        .extracting(StatusChange::status)
        .containsExactly(Status.INCLUDED, Status.FINALIZED, Status.INCLUDED, Status.FINALIZED);
  }

  // ------------------------------------------------------------------ atomic bundles

  /** An atomic bundle of one transfer on alpha and one on beta, both for slot 1001. */
  private List<Preconfirmation> bundle() {
    var r =
        await(
            f.engine.preconfirm(
                new PreconfirmRequest(
                    List.of(transfer(ALPHA, senders++, 0), transfer(BETA, senders++, 0)),
                    true,
                    1_001L)));
    assertThat(r.rejected()).isEmpty();
    ledger.track(r.preconfirmations());
    return r.preconfirmations();
  }

  private static Block betaBlock(
      String label, long number, String parent, long slot, Hash32... txs) {
    return new Block(BETA, number, hash(label), hash(parent), slot, List.of(txs));
  }

  @Test
  void aBundleWithBothLegsIncludedIsKept() {
    List<Preconfirmation> legs = bundle();
    reconcile(block("b1", 1, "b0", 1_001, legs.get(0).txHash()));
    reconcile(betaBlock("c1", 1, "c0", 1_001, legs.get(1).txHash()));
    f.clock.advance(SLOT_MS);
    reconcile(block("b2", 2, "b1", 1_002));
    reconcile(betaBlock("c2", 2, "c1", 1_002));

    assertThat(legs).extracting(this::status).containsOnly(Status.INCLUDED);
    assertThat(ledger.violations).isEmpty();
  }

  @Test
  void aLegMissingOnOneChainViolatesTheWholeBundleWithEvidenceNamingTheMissingLeg() {
    List<Preconfirmation> legs = bundle();
    Preconfirmation onAlpha = legs.get(0);
    Preconfirmation onBeta = legs.get(1);
    reconcile(block("b1", 1, "b0", 1_001, onAlpha.txHash()));
    assertThat(status(onAlpha)).isEqualTo(Status.INCLUDED);

    f.clock.advance(SLOT_MS);
    ReconcileResult r = reconcile(betaBlock("c1", 1, "c0", 1_002, tx("other")));

    assertThat(status(onBeta)).isEqualTo(Status.VIOLATED);
    assertThat(status(onAlpha)).isEqualTo(Status.VIOLATED);
    assertThat(ledger.state(onAlpha).finality())
        .as("the included leg keeps where it landed")
        .isEqualTo(new Finality(1, hash("b1"), 0));
    assertThat(r.changes())
        .extracting(StatusChange::chainId, StatusChange::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(BETA, Status.VIOLATED),
            org.assertj.core.groups.Tuple.tuple(ALPHA, Status.VIOLATED));
    assertThat(r.changes().get(1).reason())
        .contains("atomic bundle " + onAlpha.commitment().root())
        .contains(onBeta.txHash().toHex());
    assertThat(r.violations()).hasSize(2);
    var alphaViolation = r.violations().get(1);
    assertThat(alphaViolation.preconfirmation()).isEqualTo(onAlpha);
    Evidence e = alphaViolation.evidence();
    assertThat(e.kind()).isEqualTo(ViolationKind.NOT_INCLUDED_BY_TARGET_SLOT);
    assertThat(e.preconfirmations()).containsExactly(onBeta);
    assertThat(e.preconfirmations().get(0).commitment().root())
        .isEqualTo(onAlpha.commitment().root());
    assertThat(EvidenceVerifier.verify(e, TRUSTED)).isEmpty();

    // Alpha's later blocks leave the broken bundle broken: nothing finalizes it.
    for (int i = 2; i <= 14; i++) {
      reconcile(block("b" + i, i, "b" + (i - 1), 1_002));
    }
    assertThat(status(onAlpha)).isEqualTo(Status.VIOLATED);
  }

  @Test
  void aReorgThatIncludesTheMissingLegAfterAllRestoresTheBundle() {
    List<Preconfirmation> legs = bundle();
    reconcile(block("b1", 1, "b0", 1_001, legs.get(0).txHash()));
    f.clock.advance(SLOT_MS);
    reconcile(betaBlock("c1", 1, "c0", 1_001));
    reconcile(betaBlock("c2a", 2, "c1", 1_002));
    assertThat(status(legs.get(0))).isEqualTo(Status.VIOLATED);

    ReconcileResult r = reconcile(betaBlock("c2b", 2, "c1", 1_001, legs.get(1).txHash()));

    assertThat(r.reorg()).isNotNull();
    assertThat(legs).extracting(this::status).containsOnly(Status.INCLUDED);
    assertThat(ledger.state(legs.get(0)).finality()).isEqualTo(new Finality(1, hash("b1"), 0));
    assertThat(ledger.violations).isEmpty();
    assertThat(ledger.retracted).hasSize(2);
  }

  @Test
  void aReorgOfTheIncludedLegsChainKeepsTheBrokenBundleViolated() {
    List<Preconfirmation> legs = bundle();
    reconcile(block("b1", 1, "b0", 1_001));
    reconcile(block("b2a", 2, "b1", 1_001, legs.get(0).txHash()));
    f.clock.advance(SLOT_MS);
    reconcile(betaBlock("c1", 1, "c0", 1_002));
    assertThat(status(legs.get(0))).isEqualTo(Status.VIOLATED);

    ReconcileResult r = reconcile(block("b2b", 2, "b1", 1_002));

    assertThat(r.outcome()).isEqualTo(ReconcileResult.Outcome.APPLIED);
    assertThat(status(legs.get(0))).isEqualTo(Status.VIOLATED);
    assertThat(ledger.state(legs.get(0)).finality()).as("its inclusion is gone").isNull();
  }

  // ------------------------------------------------------------------ refusals

  @Test
  void aBlockThatCannotBePlacedIsRefusedWithACode() {
    chain(14);
    assertThat(refusal(block("orphan", 15, "nowhere", 1_000))).isEqualTo(Reason.UNKNOWN_PARENT);
    assertThat(refusal(block("deep", 2, "b1", 1_000))).isEqualTo(Reason.REORG_BEYOND_FINALITY);
    assertThat(refusal(block("b14", 14, "b13", 1_000, tx("changed"))))
        .isEqualTo(Reason.CONFLICTING_BLOCK);
    assertThat(refusal(block("ahead", 15, "b14", 1_002))).isEqualTo(Reason.SLOT_IN_FUTURE);
    assertThat(refusal(block("back", 15, "b14", 999))).isEqualTo(Reason.OUT_OF_RANGE);
    // A gap above the head is a new start; below the head it cannot be placed.
    assertThat(reconcile(block("far", 40, "b39", 1_000)).outcome())
        .isEqualTo(ReconcileResult.Outcome.APPLIED);
    assertThat(refusal(block("hole", 30, "b29", 1_000))).isEqualTo(Reason.OUT_OF_ORDER);
  }

  @Test
  void aMadeUpBlockFarAboveTheHeadIsRefusedAndTheGenuineChainGoesOn() {
    finality = reconciliation(new FinalityConfig(12, 1, 100));
    Preconfirmation p = promise(null);
    chain(3);

    ReconcileResult forged = reconcile(block("forged", 1_000_003, "x", 1_000, p.txHash()));

    assertThat(forged.outcome()).isEqualTo(ReconcileResult.Outcome.REFUSED);
    assertThat(forged.error().reason()).isEqualTo(Reason.TOO_FAR_AHEAD);
    assertThat(forged.error().message()).contains("1000003").contains("head 3").contains("100");
    assertThat(status(p)).isEqualTo(Status.PRECONFIRMED);
    assertThat(reconcile(block("b4", 4, "b3", 1_000, p.txHash())).outcome())
        .isEqualTo(ReconcileResult.Outcome.APPLIED);
    assertThat(status(p)).isEqualTo(Status.INCLUDED);
    // As far up as the bound is still a new start.
    assertThat(reconcile(block("gap", 104, "b103", 1_000)).outcome())
        .isEqualTo(ReconcileResult.Outcome.APPLIED);
  }

  private Reason refusal(Block b) {
    ReconcileResult r = reconcile(b);
    assertThat(r.outcome()).isEqualTo(ReconcileResult.Outcome.REFUSED);
    return r.error().reason();
  }

  @Test
  void malformedBlocksAreRefusedNamingTheValue() {
    var rollups = EngineFixture.rollups();
    String h = "0x" + "11".repeat(32);
    String g = "0x" + "22".repeat(32);
    var unserved = Block.parse(new WireBlock(5L, 1L, h, g, 1L, null, List.of()), rollups);
    assertThat(unserved.rejection().reason()).isEqualTo(Reason.UNSUPPORTED_CHAIN);
    assertThat(unserved.rejection().message()).contains("5");

    var shortHash =
        Block.parse(new WireBlock(167000L, 1L, "0x1234", g, 1L, null, List.of()), rollups);
    assertThat(shortHash.rejection().reason()).isEqualTo(Reason.WRONG_LENGTH);
    assertThat(shortHash.rejection().message()).contains("hash").contains("2 bytes");

    var badTx =
        Block.parse(new WireBlock(167000L, 1L, h, g, 1L, null, List.of(h, "0xzz")), rollups);
    assertThat(badTx.rejection().message()).contains("transactions[1]");

    var twice = Block.parse(new WireBlock(167000L, 1L, h, g, 1L, null, List.of(g, g)), rollups);
    assertThat(twice.rejection().reason()).isEqualTo(Reason.DUPLICATE_IN_REQUEST);

    var noSlot = Block.parse(new WireBlock(167000L, 1L, h, g, null, null, List.of()), rollups);
    assertThat(noSlot.rejection().reason()).isEqualTo(Reason.MISSING_FIELD);

    var negative = Block.parse(new WireBlock(167000L, -1L, h, g, 1L, null, List.of()), rollups);
    assertThat(negative.rejection().reason()).isEqualTo(Reason.OUT_OF_RANGE);

    long genesis = EngineFixture.rollup(ALPHA, "alpha", 1, 1).genesisTimeMs();
    var byTime =
        Block.parse(
            new WireBlock(167000L, 1L, h, g, null, (genesis + 7 * SLOT_MS) / 1000, List.of()),
            rollups);
    assertThat(byTime.value().slot()).isEqualTo(7);
  }

  @Test
  void theSameBlockRacingItselfIsAppliedOnceAndTheLoserSeesADuplicate() {
    Preconfirmation p = promise(null);
    Block b = block("b1", 1, "b0", 1_000, p.txHash());
    List<ReconcileResult> racer = new ArrayList<>();
    ledger.beforeNextCommit = () -> racer.add(reconcile(b));

    ReconcileResult r = reconcile(b);

    assertThat(racer)
        .extracting(ReconcileResult::outcome)
        .containsExactly(ReconcileResult.Outcome.APPLIED);
    assertThat(r.outcome())
        .as("judged again after the chain moved")
        .isEqualTo(ReconcileResult.Outcome.DUPLICATE);
    assertThat(ledger.published).extracting(StatusChange::status).containsExactly(Status.INCLUDED);
  }
}
