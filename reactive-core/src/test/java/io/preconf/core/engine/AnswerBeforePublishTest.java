package io.preconf.core.engine;

import static io.preconf.core.testing.EngineFixture.ALPHA;
import static io.preconf.core.testing.EngineFixture.send;
import static io.preconf.core.testing.EngineFixture.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.commit.PromisedTransaction;
import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.RejectedException;
import io.preconf.core.error.Rejection;
import io.preconf.core.port.FeedPublisher;
import io.preconf.core.testing.EngineFixture;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A promise exists once it is recorded: a round's requests are answered then, and its feed publish
 * follows, in the rounds' order, without holding any answer.
 */
class AnswerBeforePublishTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final EngineFixture f = new EngineFixture();
  private final HeldFeed feed = new HeldFeed();
  private final PreconfirmationEngine engine =
      engine(EngineConfig.defaults().withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(3)));

  private PreconfirmationEngine engine(EngineConfig config) {
    return f.engineOn(new PreconfirmationEngine.Ports(f.lanes, f.store, feed, f.clock), config);
  }

  /**
   * The fixture's feed, each publish call held until its gate opens; it notes the sequences it was
   * handed, in call order, and those it carries once their gate opened.
   */
  private final class HeldFeed implements FeedPublisher {
    final List<CompletableFuture<Void>> gates = new ArrayList<>();
    final List<Long> handed = new ArrayList<>();
    final List<Long> carried = new ArrayList<>();

    @Override
    public synchronized Uni<Void> publish(List<PromisedTransaction> issued) {
      CompletableFuture<Void> gate = new CompletableFuture<>();
      gates.add(gate);
      issued.forEach(k -> handed.add(k.preconfirmation().sequence()));
      return Uni.createFrom()
          .completionStage(gate)
          .invoke(() -> carry(issued))
          .chain(() -> f.store.publish(issued));
    }

    private synchronized void carry(List<PromisedTransaction> issued) {
      issued.forEach(k -> carried.add(k.preconfirmation().sequence()));
    }

    synchronized void open(int call) {
      gates.get(call).complete(null);
    }

    synchronized void fail(int call) {
      gates.get(call).completeExceptionally(new IllegalStateException("the feed log is down"));
    }

    synchronized List<Long> handed() {
      return List.copyOf(handed);
    }

    synchronized List<Long> carried() {
      return List.copyOf(carried);
    }
  }

  private static Preconfirmation promised(UniAssertSubscriber<PreconfirmResult> call) {
    PreconfirmResult result = call.awaitItem(WAIT).getItem();
    assertThat(result.rejected()).isEmpty();
    return result.preconfirmations().get(0);
  }

  @Test
  void aRequestIsAnsweredOnceRecordedWhileItsPublishIsHeld() {
    Preconfirmation p = promised(send(engine, false, transfer(ALPHA, 1, 0)));

    assertThat(p.sequence()).isEqualTo(1);
    assertThat(EngineFixture.await(f.store.find(ALPHA, p.txHash()))).contains(p);
    assertThat(feed.handed()).containsExactly(1L);
    assertThat(feed.carried()).isEmpty();

    feed.open(0);
    assertThat(feed.carried()).containsExactly(1L);
    assertThat(f.store.published()).containsExactly(p);
  }

  @Test
  void aRoundIsHandedToTheFeedOnlyOnceItsRequestsHaveTheirAnswers() {
    AtomicBoolean answered = new AtomicBoolean();
    List<Boolean> answeredWhenHanded = new ArrayList<>();
    FeedPublisher noting =
        issued -> {
          answeredWhenHanded.add(answered.get());
          return f.store.publish(issued);
        };
    PreconfirmationEngine engine =
        f.engineOn(
            new PreconfirmationEngine.Ports(f.lanes, f.store, noting, f.clock),
            EngineConfig.defaults());

    UniAssertSubscriber<PreconfirmResult> call =
        engine
            .preconfirm(
                new PreconfirmRequest(
                    List.of(transfer(ALPHA, 1, 0), transfer(ALPHA, 2, 0)), false, null))
            .invoke(() -> answered.set(true))
            .subscribe()
            .withSubscriber(UniAssertSubscriber.create());

    assertThat(call.awaitItem(WAIT).getItem().preconfirmations()).hasSize(2);
    assertThat(answeredWhenHanded).containsExactly(true);
    assertThat(f.store.published()).hasSize(2);
  }

  @Test
  void aLaterRoundIsAnsweredWhileTheOneBeforeItPublishesAndPublishesAfterIt() {
    Preconfirmation first = promised(send(engine, false, transfer(ALPHA, 1, 0)));
    Preconfirmation second = promised(send(engine, false, transfer(ALPHA, 2, 0)));

    // Both are answered; round 2's publish waits for round 1's.
    assertThat(second.sequence()).isEqualTo(2);
    assertThat(feed.handed()).containsExactly(1L);

    feed.open(0);
    assertThat(feed.handed()).containsExactly(1L, 2L);
    feed.open(1);
    assertThat(feed.carried()).containsExactly(1L, 2L);
    assertThat(f.store.published()).containsExactly(first, second);
  }

  @Test
  void roundsWaitingToPublishStillHoldTheirSlots() {
    promised(send(engine, false, transfer(ALPHA, 1, 0)));
    promised(send(engine, false, transfer(ALPHA, 2, 0)));

    // Rounds 1 and 2 are answered but not published: a third claims nothing until one has.
    UniAssertSubscriber<PreconfirmResult> third = send(engine, false, transfer(ALPHA, 3, 0));
    third.assertNotTerminated();
    assertThat(f.lanes.head(ALPHA)).isEqualTo(Rounds.IN_FLIGHT);

    feed.open(0);
    assertThat(promised(third).sequence()).isEqualTo(3);
    feed.open(1);
    feed.open(2);
    assertThat(feed.carried()).containsExactly(1L, 2L, 3L);
  }

  @Test
  void aFailedPublishKeepsTheAnswerAndTheNextRoundPublishes() {
    Preconfirmation first = promised(send(engine, false, transfer(ALPHA, 1, 0)));
    Preconfirmation second = promised(send(engine, false, transfer(ALPHA, 2, 0)));

    feed.fail(0);
    feed.open(1);

    assertThat(feed.carried()).containsExactly(2L);
    // The promise stands: readers fill the feed's gap from the store.
    assertThat(EngineFixture.await(f.store.find(ALPHA, first.txHash()))).contains(first);
    assertThat(f.store.published()).containsExactly(second);
  }

  @Test
  void aPublishThatNeverEndsIsGivenUpAfterTheDeadlineAndTheRoundsGoOn() {
    // The deadline gives up the stuck publishes, and it is also each request's own: long enough
    // that the third request, sent as round 2's publish starts, is answered on a loaded machine.
    PreconfirmationEngine quick =
        engine(EngineConfig.defaults().withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(3)));
    promised(send(quick, false, transfer(ALPHA, 1, 0)));
    promised(send(quick, false, transfer(ALPHA, 2, 0)));

    // Neither publish ends: past the deadline round 1's is given up, its slot freed, and round 2
    // publishes after it.
    long givenUp = System.nanoTime() + WAIT.toNanos();
    while (feed.handed().size() < 2 && System.nanoTime() < givenUp) {
      Thread.onSpinWait();
    }
    assertThat(feed.handed()).containsExactly(1L, 2L);
    Preconfirmation third = promised(send(quick, false, transfer(ALPHA, 3, 0)));

    assertThat(third.sequence()).isEqualTo(3);
    assertThat(feed.carried()).isEmpty();
  }

  @Test
  void aFailedRecordAnswersNothingPublishesNothingAndVoidsItsPosition() {
    f.store.failWith(
        new RejectedException(
            Rejection.of(
                ErrorCode.STORAGE_FAILED, Reason.BACKEND_UNAVAILABLE, "PostgreSQL is down")));

    PreconfirmResult failed = send(engine, false, transfer(ALPHA, 1, 0)).awaitItem(WAIT).getItem();

    assertThat(failed.preconfirmations()).isEmpty();
    assertThat(failed.rejected())
        .extracting(r -> r.rejection().reason())
        .containsExactly(Reason.BACKEND_UNAVAILABLE);
    assertThat(f.lanes.isVoid(ALPHA, 1)).isTrue();
    assertThat(feed.handed()).isEmpty();
  }
}
