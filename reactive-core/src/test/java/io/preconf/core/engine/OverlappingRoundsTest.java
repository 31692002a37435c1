package io.preconf.core.engine;

import static io.preconf.core.testing.EngineFixture.ALPHA;
import static io.preconf.core.testing.EngineFixture.send;
import static io.preconf.core.testing.EngineFixture.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.commit.PromisedTransaction;
import io.preconf.core.error.Reason;
import io.preconf.core.error.RejectedException;
import io.preconf.core.error.Rejection;
import io.preconf.core.port.ClaimGroup;
import io.preconf.core.port.FeedPublisher;
import io.preconf.core.port.ForwardingLanes;
import io.preconf.core.port.LaneOutcome;
import io.preconf.core.port.PreconfirmationStore;
import io.preconf.core.testing.EngineFixture;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Rounds overlap: the next round claims its positions while the one before it records, and the feed
 * still carries every lane in sequence order.
 */
class OverlappingRoundsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final EngineFixture f = new EngineFixture();
  private final CountedLanes lanes = new CountedLanes();
  private final HeldStore store = new HeldStore();
  private final PreconfirmationEngine engine =
      f.engineOn(
          new PreconfirmationEngine.Ports(lanes, store, store, f.clock), EngineConfig.defaults());

  private final class CountedLanes extends ForwardingLanes {
    final AtomicInteger calls = new AtomicInteger();

    CountedLanes() {
      super(f.lanes);
    }

    @Override
    public Uni<List<List<LaneOutcome>>> claimAll(List<ClaimGroup> groups) {
      calls.incrementAndGet();
      return super.claimAll(groups);
    }
  }

  /**
   * The fixture's store whose first record waits until {@link #first} completes (or fails with it),
   * and which notes every publish.
   */
  private final class HeldStore implements PreconfirmationStore, FeedPublisher {
    final CompletableFuture<Void> first = new CompletableFuture<>();
    final AtomicInteger records = new AtomicInteger();
    final List<Long> publishedSequences = new ArrayList<>();

    @Override
    public Uni<Void> record(List<PromisedTransaction> kept) {
      Uni<Void> recorded = Uni.createFrom().deferred(() -> f.store.record(kept));
      return records.getAndIncrement() == 0
          ? Uni.createFrom().completionStage(first).chain(() -> recorded)
          : recorded;
    }

    @Override
    public Uni<Optional<Preconfirmation>> find(ChainId chainId, Hash32 txHash) {
      return f.store.find(chainId, txHash);
    }

    @Override
    public synchronized Uni<Void> publish(List<PromisedTransaction> issued) {
      issued.forEach(k -> publishedSequences.add(k.preconfirmation().sequence()));
      return f.store.publish(issued);
    }

    synchronized List<Long> published() {
      return List.copyOf(publishedSequences);
    }
  }

  private static PreconfirmResult answer(UniAssertSubscriber<PreconfirmResult> call) {
    return call.awaitItem(WAIT).getItem();
  }

  @Test
  void theNextRoundClaimsWhileTheOneBeforeRecords() {
    UniAssertSubscriber<PreconfirmResult> first = send(engine, false, transfer(ALPHA, 1, 0));
    assertThat(store.records).hasValue(1);

    UniAssertSubscriber<PreconfirmResult> second = send(engine, false, transfer(ALPHA, 2, 0));

    // Round 2 has claimed and recorded while round 1's record is still held.
    assertThat(lanes.calls).hasValue(2);
    assertThat(store.records).hasValue(2);
    first.assertNotTerminated();
    store.first.complete(null);
    assertThat(answer(first).preconfirmations().get(0).sequence()).isEqualTo(1);
    assertThat(answer(second).preconfirmations().get(0).sequence()).isEqualTo(2);
  }

  @Test
  void aRoundPublishesOnlyAfterTheOneBeforeItSoTheFeedFollowsTheSequence() {
    UniAssertSubscriber<PreconfirmResult> first = send(engine, false, transfer(ALPHA, 1, 0));
    UniAssertSubscriber<PreconfirmResult> second = send(engine, false, transfer(ALPHA, 2, 0));

    // Round 2 is recorded, so answered, but waits for round 1 to publish.
    assertThat(store.records).hasValue(2);
    assertThat(answer(second).preconfirmations().get(0).sequence()).isEqualTo(2);
    assertThat(store.published()).isEmpty();
    first.assertNotTerminated();

    store.first.complete(null);

    answer(first);
    assertThat(store.published()).containsExactly(1L, 2L);
  }

  @Test
  void atMostTwoRoundsArePastTheirClaimAtOnce() {
    UniAssertSubscriber<PreconfirmResult> first = send(engine, false, transfer(ALPHA, 1, 0));
    UniAssertSubscriber<PreconfirmResult> second = send(engine, false, transfer(ALPHA, 2, 0));
    UniAssertSubscriber<PreconfirmResult> third = send(engine, false, transfer(ALPHA, 3, 0));
    UniAssertSubscriber<PreconfirmResult> fourth = send(engine, false, transfer(ALPHA, 4, 0));

    // Rounds 1 and 2 are in flight, round 2 waiting to publish after round 1; the others wait for
    // a slot before claiming anything.
    assertThat(lanes.calls).hasValue(Rounds.IN_FLIGHT);
    assertThat(f.lanes.head(ALPHA)).isEqualTo(2);

    store.first.complete(null);

    assertThat(answer(first).preconfirmations()).hasSize(1);
    assertThat(answer(second).preconfirmations()).hasSize(1);
    assertThat(answer(third).preconfirmations()).hasSize(1);
    assertThat(answer(fourth).preconfirmations()).hasSize(1);
    // The two waiting requests made one round together.
    assertThat(lanes.calls).hasValue(3);
    assertThat(store.published()).containsExactly(1L, 2L, 3L, 4L);
  }

  @Test
  void aRecordFailureInOneRoundNeitherLosesNorRenumbersTheNext() {
    UniAssertSubscriber<PreconfirmResult> first = send(engine, false, transfer(ALPHA, 1, 0));
    UniAssertSubscriber<PreconfirmResult> second = send(engine, false, transfer(ALPHA, 2, 0));

    store.first.completeExceptionally(
        new RejectedException(
            Rejection.of(
                io.preconf.core.error.ErrorCode.STORAGE_FAILED,
                Reason.BACKEND_UNAVAILABLE,
                "PostgreSQL is down")));

    PreconfirmResult failed = answer(first);
    assertThat(failed.preconfirmations()).isEmpty();
    assertThat(failed.rejected())
        .extracting(r -> r.rejection().reason())
        .containsExactly(Reason.BACKEND_UNAVAILABLE);
    // Round 1's position is void; round 2 keeps the number it claimed, recorded and published.
    assertThat(f.lanes.isVoid(ALPHA, 1)).isTrue();
    Preconfirmation kept = answer(second).preconfirmations().get(0);
    assertThat(kept.sequence()).isEqualTo(2);
    assertThat(EngineFixture.await(f.store.find(ALPHA, kept.txHash()))).contains(kept);
    assertThat(store.published()).containsExactly(2L);
  }
}
