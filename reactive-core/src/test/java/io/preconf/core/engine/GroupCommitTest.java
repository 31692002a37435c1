package io.preconf.core.engine;

import static io.preconf.core.testing.EngineFixture.ALPHA;
import static io.preconf.core.testing.EngineFixture.BETA;
import static io.preconf.core.testing.EngineFixture.send;
import static io.preconf.core.testing.EngineFixture.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.commit.PromisedTransaction;
import io.preconf.core.crypto.DigestSigner;
import io.preconf.core.crypto.Secp256k1Backend;
import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.merkle.MerkleTree;
import io.preconf.core.port.ClaimGroup;
import io.preconf.core.port.FeedPublisher;
import io.preconf.core.port.ForwardingLanes;
import io.preconf.core.port.LaneOutcome;
import io.preconf.core.port.LaneSequencer;
import io.preconf.core.port.PreconfirmationStore;
import io.preconf.core.testing.EngineFixture;
import io.preconf.core.tx.TransactionBuilder;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Group commit, counted through the ports: the requests of a round share one lane call, one
 * signature of each kind, one record and one publish, and each still gets its own leaf and proof.
 */
class GroupCommitTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final EngineFixture f = new EngineFixture();
  private final HeldLanes lanes = new HeldLanes();
  private final CountingStore store = new CountingStore();
  private final CountingSigner ecdsa = new CountingSigner(EngineFixture.PRECONFER);
  private final CountingSigner pq = new CountingSigner(EngineFixture.PQ);

  /** Lanes that count their calls and hold the first one back until {@link #release} is called. */
  private final class HeldLanes extends ForwardingLanes {
    final CompletableFuture<Void> release = new CompletableFuture<>();
    final AtomicInteger calls = new AtomicInteger();
    final List<Integer> groupsPerCall = new ArrayList<>();

    HeldLanes() {
      super(f.lanes);
    }

    @Override
    public Uni<List<List<LaneOutcome>>> claimAll(List<ClaimGroup> groups) {
      synchronized (groupsPerCall) {
        groupsPerCall.add(groups.size());
      }
      Uni<List<List<LaneOutcome>>> claimed = super.claimAll(groups);
      return calls.getAndIncrement() == 0
          ? Uni.createFrom().completionStage(release).chain(() -> claimed)
          : claimed;
    }
  }

  private static final class CountingStore implements PreconfirmationStore, FeedPublisher {
    final AtomicInteger records = new AtomicInteger();
    final AtomicInteger publishes = new AtomicInteger();
    PreconfirmationStore store;
    FeedPublisher feed;

    @Override
    public Uni<Void> record(List<PromisedTransaction> issued) {
      records.incrementAndGet();
      return store.record(issued);
    }

    @Override
    public Uni<Optional<Preconfirmation>> find(ChainId chainId, Hash32 txHash) {
      return store.find(chainId, txHash);
    }

    @Override
    public Uni<Void> publish(List<PromisedTransaction> issued) {
      publishes.incrementAndGet();
      return feed.publish(issued);
    }
  }

  private static final class CountingSigner implements DigestSigner {
    final AtomicInteger signs = new AtomicInteger();
    private final DigestSigner signer;

    CountingSigner(DigestSigner signer) {
      this.signer = signer;
    }

    @Override
    public Bytes sign(Hash32 digest) {
      signs.incrementAndGet();
      return signer.sign(digest);
    }
  }

  private PreconfirmationEngine engine(RoundLimits limits) {
    return engine(limits, lanes, Runnable::run);
  }

  /** An engine on the fixture's lanes behind {@code lanes}, signing with the counted keys. */
  private PreconfirmationEngine engine(RoundLimits limits, LaneSequencer lanes, Executor cpu) {
    store.store = f.store;
    store.feed = f.store;
    return new PreconfirmationEngine(
        EngineConfig.defaults(),
        limits,
        EngineFixture.rollups(),
        new Signers(ecdsa, pq, EngineFixture.PRECONFER.address(), EngineFixture.PQ.publicKey()),
        new PreconfirmationEngine.Ports(lanes, store, store, f.clock),
        cpu,
        f.counters,
        Secp256k1Backend.bouncyCastle());
  }

  private static PreconfirmResult answer(UniAssertSubscriber<PreconfirmResult> call) {
    return call.awaitItem(WAIT).getItem();
  }

  @Test
  void requestsQueuedBehindARoundShareOneLaneCallSignatureRecordAndPublish() {
    PreconfirmationEngine engine = engine(RoundLimits.defaults());
    UniAssertSubscriber<PreconfirmResult> first = send(engine, false, transfer(ALPHA, 1, 0));
    List<UniAssertSubscriber<PreconfirmResult>> queued = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      queued.add(send(engine, false, transfer(i % 2 == 0 ? ALPHA : BETA, 100 + i, 0)));
    }
    assertThat(lanes.calls).hasValue(1);

    lanes.release.complete(null);

    assertThat(answer(first).preconfirmations()).hasSize(1);
    List<Preconfirmation> round = new ArrayList<>();
    for (UniAssertSubscriber<PreconfirmResult> call : queued) {
      PreconfirmResult r = answer(call);
      assertThat(r.rejected()).isEmpty();
      assertThat(r.preconfirmations()).hasSize(1);
      round.add(r.preconfirmations().get(0));
    }
    // The first round, then one more for the twenty queued behind it.
    assertThat(lanes.groupsPerCall).containsExactly(1, 20);
    assertThat(ecdsa.signs).hasValue(2);
    assertThat(pq.signs).hasValue(2);
    assertThat(store.records).hasValue(2);
    assertThat(store.publishes).hasValue(2);
    assertThat(f.counters.rounds()).isEqualTo(2);
    assertThat(f.counters.roundRequests()).isEqualTo(21);

    Hash32 root = round.get(0).commitment().root();
    Set<Hash32> leaves = new HashSet<>();
    for (Preconfirmation p : round) {
      assertThat(p.commitment()).isEqualTo(round.get(0).commitment());
      assertThat(p.commitment().atomic()).isFalse();
      assertThat(MerkleTree.verify(root, p.id(), p.proof())).isTrue();
      assertThat(EngineFixture.await(f.validation.validate(p, null)).errors()).isEmpty();
      leaves.add(p.id());
    }
    assertThat(leaves).hasSize(20);
    assertThat(round)
        .filteredOn(p -> p.chainId().equals(ALPHA))
        .extracting(Preconfirmation::sequence)
        .containsExactly(2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
    assertThat(f.store.published()).hasSize(21);
  }

  @Test
  void anAtomicRequestKeepsACommitmentOfItsOwnSignedInTheSameRound() {
    PreconfirmationEngine engine = engine(RoundLimits.defaults());
    UniAssertSubscriber<PreconfirmResult> first = send(engine, false, transfer(ALPHA, 1, 0));
    UniAssertSubscriber<PreconfirmResult> loose1 = send(engine, false, transfer(ALPHA, 2, 0));
    UniAssertSubscriber<PreconfirmResult> bundle =
        send(engine, true, transfer(ALPHA, 3, 0), transfer(BETA, 4, 0));
    UniAssertSubscriber<PreconfirmResult> loose2 =
        send(engine, false, transfer(BETA, 5, 0), transfer(ALPHA, 6, 0));

    lanes.release.complete(null);

    answer(first);
    List<Preconfirmation> atomic = answer(bundle).preconfirmations();
    List<Preconfirmation> shared = new ArrayList<>(answer(loose1).preconfirmations());
    shared.addAll(answer(loose2).preconfirmations());
    assertThat(atomic).hasSize(2);
    assertThat(shared).hasSize(3);
    Hash32 atomicRoot = atomic.get(0).commitment().root();
    for (Preconfirmation p : atomic) {
      assertThat(p.commitment().root()).isEqualTo(atomicRoot);
      assertThat(p.commitment().atomic()).isTrue();
      // A tree of its own two legs: one sibling each.
      assertThat(p.proof()).hasSize(1);
      assertThat(EngineFixture.await(f.validation.validate(p, null)).valid()).isTrue();
    }
    for (Preconfirmation p : shared) {
      assertThat(p.commitment().root()).isNotEqualTo(atomicRoot);
      assertThat(p.commitment()).isEqualTo(shared.get(0).commitment());
      assertThat(p.commitment().atomic()).isFalse();
      assertThat(EngineFixture.await(f.validation.validate(p, null)).valid()).isTrue();
    }
    // Round one: one commitment; round two: the shared one and the atomic one, in one record.
    assertThat(ecdsa.signs).hasValue(3);
    assertThat(pq.signs).hasValue(3);
    assertThat(store.records).hasValue(2);
    assertThat(lanes.groupsPerCall).containsExactly(1, 3);
  }

  @Test
  void anAtomicRequestRefusedInItsLaneLeavesTheOthersOfItsRoundAlone() {
    PreconfirmationEngine engine = engine(RoundLimits.defaults());
    UniAssertSubscriber<PreconfirmResult> first = send(engine, false, transfer(ALPHA, 1, 0));
    // Sender 1's nonce 0 is taken by the first request: the bundle's second leg conflicts.
    String otherNonceZero =
        TransactionBuilder.on(ALPHA)
            .nonce(0)
            .to(Address.fromHex("0x00000000000000000000000000000000000000bb"))
            .value(BigInteger.TWO)
            .sign(EngineFixture.sender(1))
            .toHex();
    UniAssertSubscriber<PreconfirmResult> bundle =
        send(engine, true, transfer(BETA, 7, 0), otherNonceZero);
    UniAssertSubscriber<PreconfirmResult> loose = send(engine, false, transfer(BETA, 8, 0));

    lanes.release.complete(null);

    answer(first);
    PreconfirmResult refused = answer(bundle);
    assertThat(refused.preconfirmations()).isEmpty();
    assertThat(refused.rejected())
        .extracting(r -> r.rejection().reason())
        .containsExactly(Reason.BUNDLE_REJECTED, Reason.NONCE_CONFLICT);
    PreconfirmResult promised = answer(loose);
    assertThat(promised.preconfirmations()).hasSize(1);
    assertThat(promised.preconfirmations().get(0).sequence()).isEqualTo(1);
    assertThat(f.lanes.head(BETA)).isEqualTo(1);
  }

  @Test
  void pastTheBoundARequestIsRefusedAtOnceAndTakesNoLanePosition() {
    PreconfirmationEngine engine = engine(new RoundLimits(1, 2_048, 2));
    UniAssertSubscriber<PreconfirmResult> first = send(engine, false, transfer(ALPHA, 1, 0));
    UniAssertSubscriber<PreconfirmResult> second = send(engine, false, transfer(ALPHA, 2, 0));
    UniAssertSubscriber<PreconfirmResult> third = send(engine, false, transfer(ALPHA, 3, 0));
    String turnedAway = transfer(ALPHA, 4, 0);

    PreconfirmResult refused = send(engine, false, turnedAway).assertCompleted().getItem();

    assertThat(refused.preconfirmations()).isEmpty();
    assertThat(refused.error().code()).isEqualTo(ErrorCode.PRECONFIRMATION_GENERATION_FAILED);
    assertThat(refused.error().reason()).isEqualTo(Reason.OVERLOADED);
    assertThat(refused.error().message()).contains("2 requests waiting");
    assertThat(f.counters.rejectedCount(Reason.OVERLOADED)).isEqualTo(1);

    lanes.release.complete(null);
    for (UniAssertSubscriber<PreconfirmResult> admitted : List.of(first, second, third)) {
      assertThat(answer(admitted).preconfirmations()).hasSize(1);
    }
    assertThat(f.lanes.head(ALPHA)).isEqualTo(3);
    // Nothing was held for the refused transaction: sent again, it takes the next position.
    PreconfirmResult again = answer(send(engine, false, turnedAway));
    assertThat(again.preconfirmations()).hasSize(1);
    assertThat(again.preconfirmations().get(0).sequence()).isEqualTo(4);
  }

  @Test
  void anIdleEngineRunsEachRequestAsARoundOfOneAtOnce() {
    lanes.release.complete(null);
    PreconfirmationEngine engine = engine(RoundLimits.defaults());

    for (int i = 0; i < 5; i++) {
      // Synchronous ports: answered before subscribe returns, so nothing waited for a batch.
      PreconfirmResult r =
          send(engine, false, transfer(ALPHA, 10 + i, 0)).assertCompleted().getItem();
      assertThat(r.preconfirmations()).hasSize(1);
    }

    assertThat(f.counters.rounds()).isEqualTo(5);
    assertThat(f.counters.roundRequests()).isEqualTo(5);
    assertThat(lanes.groupsPerCall).containsExactly(1, 1, 1, 1, 1);
    assertThat(ecdsa.signs).hasValue(5);
  }

  @Test
  void aRecordRefusedForOneRequestIsRetriedAloneSoTheOthersOfItsRoundArePromised() {
    lanes.release.complete(null);
    PreconfirmationEngine engine = engine(RoundLimits.defaults());
    String old = transfer(ALPHA, 1, 0);
    Preconfirmation recorded = answer(send(engine, false, old)).preconfirmations().get(0);
    // Its claim lapses in the lanes; the store keeps the promise and refuses a second one.
    f.lanes.expireClaims();
    HeldLanes held = new HeldLanes();
    PreconfirmationEngine busy = engine(RoundLimits.defaults(), held, Runnable::run);
    UniAssertSubscriber<PreconfirmResult> first = send(busy, false, transfer(BETA, 9, 0));
    UniAssertSubscriber<PreconfirmResult> again = send(busy, false, old);
    UniAssertSubscriber<PreconfirmResult> fresh = send(busy, false, transfer(ALPHA, 2, 0));

    held.release.complete(null);

    answer(first);
    assertThat(answer(again).preconfirmations()).containsExactly(recorded);
    PreconfirmResult promised = answer(fresh);
    assertThat(promised.rejected()).isEmpty();
    assertThat(promised.preconfirmations()).hasSize(1);
    assertThat(
            EngineFixture.await(f.store.find(ALPHA, promised.preconfirmations().get(0).txHash())))
        .isPresent();
    // The position the resubmission took on the way is void; the fresh one's is recorded.
    assertThat(f.lanes.isVoid(ALPHA, 2)).isTrue();
    assertThat(promised.preconfirmations().get(0).sequence()).isEqualTo(3);
  }

  @Test
  void concurrentRequestsFromManyThreadsAreEachPromisedOnceAndVerify() throws Exception {
    lanes.release.complete(null);
    ExecutorService cpu = Executors.newFixedThreadPool(4);
    try {
      PreconfirmationEngine engine = engine(RoundLimits.defaults(), lanes, cpu);
      List<Uni<PreconfirmResult>> calls = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        calls.add(
            engine
                .preconfirm(
                    new PreconfirmRequest(List.of(transfer(ALPHA, 1_000 + i, 0)), false, null))
                .runSubscriptionOn(cpu));
      }
      List<PreconfirmResult> results = Uni.join().all(calls).andFailFast().await().atMost(WAIT);

      Set<Long> sequences = new HashSet<>();
      Set<Hash32> roots = new HashSet<>();
      for (PreconfirmResult r : results) {
        assertThat(r.error()).isNull();
        Preconfirmation p = r.preconfirmations().get(0);
        sequences.add(p.sequence());
        roots.add(p.commitment().root());
        assertThat(EngineFixture.await(f.validation.validate(p, null)).valid()).isTrue();
      }
      assertThat(sequences).hasSize(200);
      // One signature of each kind, one record and one publish per commitment, however many
      // rounds the threads made.
      assertThat(ecdsa.signs.get()).isEqualTo(roots.size()).isEqualTo(pq.signs.get());
      assertThat(store.records.get()).isEqualTo((int) f.counters.rounds());
      assertThat(f.counters.roundRequests()).isEqualTo(200);
    } finally {
      cpu.shutdownNow();
    }
  }
}
