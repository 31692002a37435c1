package io.preconf.core.delivery;

import static io.preconf.core.testing.Samples.randomAddress;
import static io.preconf.core.testing.Samples.randomHash;
import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.commit.Status;
import io.preconf.core.commit.StatusChange;
import io.preconf.core.feed.LaneEntry;
import io.preconf.core.port.LanePosition;
import io.preconf.core.testing.InMemoryDelivery;
import io.preconf.core.testing.InMemoryLaneEntries;
import io.preconf.core.testing.ManualClock;
import io.preconf.core.testing.Samples;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LaneForwarderTest {
  private static final ChainId CHAIN = ChainId.of(167000);
  private static final Duration TTL = Duration.ofSeconds(9);
  private static final Duration IDLE = Duration.ofMillis(100);
  private static final LaneForwarder.Settings SETTINGS =
      new LaneForwarder.Settings(
          TTL,
          3,
          Duration.ofSeconds(2),
          IDLE,
          new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5)));

  private final ManualClock clock = new ManualClock(1_800_000_000_000L);
  private final InMemoryLaneEntries log = new InMemoryLaneEntries();
  private final InMemoryLaneEntries archive = new InMemoryLaneEntries();
  private final InMemoryDelivery delivery = new InMemoryDelivery(clock);
  private final ScriptedNode node = new ScriptedNode();
  private final List<StatusChange> statuses = new ArrayList<>();

  private LaneForwarder forwarder(String holder, DeliveryLag lag) {
    return new LaneForwarder(
        CHAIN,
        holder,
        new LaneForwarder.Ports(
            delivery,
            delivery,
            node,
            changes -> {
              statuses.addAll(changes);
              return Uni.createFrom().voidItem();
            },
            log,
            archive,
            clock),
        SETTINGS,
        lag);
  }

  private LaneForwarder forwarder(String holder) {
    return forwarder(holder, new DeliveryLag(clock));
  }

  /** Promises at the next sequences of the lane, in the log and the archive. */
  private List<LaneEntry.Issued> promise(long from, int n) {
    List<LaneEntry.Issued> out = new ArrayList<>();
    for (long seq = from; seq < from + n; seq++) {
      LanePosition at = new LanePosition(CHAIN, randomHash(), seq, randomHash(), clock.nowMillis());
      Preconfirmation p = Samples.preconfirmation(at, randomAddress(), 0);
      LaneEntry.Issued e = Samples.entry(p);
      log.put(CHAIN, e);
      archive.put(CHAIN, e);
      out.add(e);
    }
    return out;
  }

  private static List<Bytes> bytes(List<LaneEntry.Issued> entries) {
    return entries.stream().map(LaneEntry.Issued::signedTransaction).toList();
  }

  private static Duration step(LaneForwarder f) {
    return f.step().await().atMost(Duration.ofSeconds(5));
  }

  /** Steps until a step asks to wait (nothing more to do at once). */
  private static Duration drain(LaneForwarder f) {
    for (int i = 0; i < 100; i++) {
      Duration wait = step(f);
      if (!wait.isZero()) {
        return wait;
      }
    }
    throw new AssertionError("the forwarder never waited");
  }

  @Test
  void deliversInLaneOrderSteppingOverVoidPositions() {
    List<LaneEntry.Issued> first = promise(1, 2);
    LaneEntry voided = new LaneEntry.Void(3, randomHash());
    log.put(CHAIN, voided);
    archive.put(CHAIN, voided);
    List<LaneEntry.Issued> after = promise(4, 3);
    LaneForwarder f = forwarder("a");

    assertThat(drain(f)).isEqualTo(IDLE);

    List<Bytes> expected = new ArrayList<>(bytes(first));
    expected.addAll(bytes(after));
    assertThat(node.sent()).containsExactlyElementsOf(expected);
    assertThat(delivery.deliveredThrough(CHAIN)).isEqualTo(6);
  }

  @Test
  void readsFromTheArchiveWhatTheLogNoLongerHolds() {
    List<LaneEntry.Issued> all = promise(1, 5);
    log.trimBefore(CHAIN, 4);
    LaneForwarder f = forwarder("a");

    drain(f);

    assertThat(node.sent()).containsExactlyElementsOf(bytes(all));
  }

  @Test
  void anUnreachableNodeHoldsTheLaneAtThatPositionWithGrowingBackOffThenCatchesUp() {
    List<LaneEntry.Issued> all = promise(1, 3);
    LaneForwarder f = forwarder("a");
    node.down(true);

    assertThat(step(f)).isEqualTo(Duration.ofMillis(200));
    clock.advance(100);
    assertThat(step(f)).as("the back-off's rest, nothing sent").isEqualTo(Duration.ofMillis(100));
    clock.advance(100);
    assertThat(step(f)).isEqualTo(Duration.ofMillis(400));
    clock.advance(400);
    assertThat(step(f)).isEqualTo(Duration.ofMillis(800));
    clock.advance(800);
    // nothing after the first position went out while the node did not answer for it
    assertThat(node.sent()).hasSize(3).containsOnly(all.get(0).signedTransaction());
    assertThat(delivery.deliveredThrough(CHAIN)).isZero();

    node.down(false);
    drain(f);

    assertThat(node.pool()).containsExactlyElementsOf(bytes(all));
    assertThat(delivery.deliveredThrough(CHAIN)).isEqualTo(3);
  }

  @Test
  void aBackOffLongerThanTheLeaseStillRenewsItInTimeAndWaitsOutTheRest() {
    LaneForwarder.Settings slowRetries =
        new LaneForwarder.Settings(
            TTL,
            3,
            Duration.ofSeconds(2),
            IDLE,
            new Backoff(Duration.ofSeconds(8), Duration.ofSeconds(8)));
    LaneForwarder f =
        new LaneForwarder(
            CHAIN,
            "a",
            new LaneForwarder.Ports(
                delivery,
                delivery,
                node,
                changes -> Uni.createFrom().voidItem(),
                log,
                archive,
                clock),
            slowRetries,
            new DeliveryLag(clock));
    LaneForwarder other = forwarder("b");
    promise(1, 1);
    node.down(true);

    // 8 s of back-off, with a lease of 9 s renewed every 3 s: the waits stop at each renewal.
    assertThat(step(f)).isEqualTo(Duration.ofSeconds(3));
    for (int i = 0; i < 4; i++) {
      clock.advance(3_000);
      assertThat(step(other)).as("the lease never lapses").isEqualTo(IDLE);
      Duration wait = step(f);
      assertThat(wait).isLessThanOrEqualTo(Duration.ofSeconds(3)).isPositive();
    }
    // 12 s later: one retry after the first 8 s, no more sends than back-offs allow
    assertThat(node.sent()).hasSize(2);
  }

  @Test
  void aLeaseStoreThatFailsIsAskedAgainAfterABackOffNotAtOnce() {
    promise(1, 1);
    boolean[] down = {false};
    DeliveryLease flaky =
        new DeliveryLease() {
          @Override
          public Uni<Boolean> hold(ChainId chain, String holder, Duration ttl) {
            return down[0]
                ? Uni.createFrom()
                    .failure(new IllegalStateException("Redis refused the connection"))
                : delivery.hold(chain, holder, ttl);
          }

          @Override
          public Uni<Void> release(ChainId chain, String holder) {
            return delivery.release(chain, holder);
          }
        };
    LaneForwarder f =
        new LaneForwarder(
            CHAIN,
            "a",
            new LaneForwarder.Ports(
                flaky, delivery, node, changes -> Uni.createFrom().voidItem(), log, archive, clock),
            SETTINGS,
            new DeliveryLag(clock));
    drain(f);
    down[0] = true;
    clock.advance(TTL.toMillis() / 3);

    assertThat(step(f)).isEqualTo(Duration.ofMillis(200));
    clock.advance(200);
    assertThat(step(f)).isEqualTo(Duration.ofMillis(400));
  }

  @Test
  void aRefusedTransactionIsMarkedDeliveryFailedWithTheNodesWordsAndDeliveryGoesOn() {
    List<LaneEntry.Issued> all = promise(1, 3);
    node.refuse(all.get(1).signedTransaction(), "nonce too low: next nonce 5, tx nonce 0");
    LaneForwarder f = forwarder("a");

    drain(f);

    assertThat(node.pool())
        .containsExactly(all.get(0).signedTransaction(), all.get(2).signedTransaction());
    assertThat(delivery.deliveredThrough(CHAIN)).isEqualTo(3);
    StatusChange failed = delivery.failed().get(all.get(1).preconfirmation().txHash());
    assertThat(failed.status()).isEqualTo(Status.DELIVERY_FAILED);
    assertThat(failed.sequence()).isEqualTo(2);
    assertThat(failed.reason()).contains("NONCE_TOO_LOW").contains("next nonce 5, tx nonce 0");
    assertThat(statuses).containsExactly(failed);
  }

  @Test
  void aPromiseNoLongerPreconfirmedKeepsItsStatusAndIsNotPublished() {
    List<LaneEntry.Issued> all = promise(1, 1);
    delivery.status(all.get(0).preconfirmation().txHash(), Status.EXPIRED);
    node.refuse(all.get(0).signedTransaction(), "transaction underpriced");
    LaneForwarder f = forwarder("a");

    drain(f);

    assertThat(delivery.failed()).isEmpty();
    assertThat(statuses).isEmpty();
    assertThat(delivery.deliveredThrough(CHAIN)).isEqualTo(1);
  }

  @Test
  void aPromiseWithoutItsSignedBytesFailsDeliverySayingSo() {
    LanePosition at = new LanePosition(CHAIN, randomHash(), 1, randomHash(), clock.nowMillis());
    Preconfirmation p = Samples.preconfirmation(at, randomAddress(), 0);
    log.put(CHAIN, new LaneEntry.Issued(1, p));
    LaneForwarder f = forwarder("a");

    drain(f);

    assertThat(node.sent()).isEmpty();
    assertThat(delivery.failed().get(p.txHash()).reason()).contains("kept no signed bytes");
  }

  @Test
  void onlyOneOfTwoForwardersDeliversAndTheOtherTakesOverWhenItReleases() {
    List<LaneEntry.Issued> first = promise(1, 2);
    LaneForwarder a = forwarder("a");
    LaneForwarder b = forwarder("b");

    drain(a);
    assertThat(step(b)).isEqualTo(IDLE);
    assertThat(b.holding()).isFalse();

    a.release().await().indefinitely();
    List<LaneEntry.Issued> later = promise(3, 2);
    drain(b);

    assertThat(b.holding()).isTrue();
    List<Bytes> expected = new ArrayList<>(bytes(first));
    expected.addAll(bytes(later));
    assertThat(node.sent()).containsExactlyElementsOf(expected);
  }

  @Test
  void anAbandonedHolderIsFencedOutOnceAnotherTookOverAfterItsLeaseRanOut() {
    promise(1, 2);
    LaneForwarder crashed = forwarder("a");
    LaneForwarder next = forwarder("b");
    drain(crashed); // delivered through 2, then went quiet without releasing

    List<LaneEntry.Issued> later = promise(3, 2);
    assertThat(step(next)).isEqualTo(IDLE); // the lease still runs
    clock.advance(TTL.toMillis() + 1);
    drain(next);

    assertThat(node.pool()).endsWith(bytes(later).toArray(Bytes[]::new));
    assertThat(delivery.deliveredThrough(CHAIN)).isEqualTo(4);
    assertThat(delivery.fence(CHAIN)).isEqualTo(2);

    // The abandoned one wakes: its lease is gone, and it stops without writing.
    promise(5, 1);
    step(crashed);
    assertThat(crashed.holding()).isFalse();
    assertThat(delivery.deliveredThrough(CHAIN)).isEqualTo(4);
  }

  @Test
  void aTakeoverResumesAfterTheCursorAndCountsWhatTheNodeKnowsAsDelivered() {
    List<LaneEntry.Issued> all = promise(1, 4);
    // A crash after sending 1..4 but before the cursor moved past 2.
    all.forEach(e -> node.sendRawTransaction(e.signedTransaction()).await().indefinitely());
    delivery.takeOver(CHAIN).await().indefinitely();
    delivery.advance(CHAIN, 1, 2).await().indefinitely();

    drain(forwarder("b"));

    assertThat(node.sent().subList(4, node.sent().size()))
        .containsExactly(all.get(2).signedTransaction(), all.get(3).signedTransaction());
    assertThat(node.pool()).containsExactlyElementsOf(bytes(all));
    assertThat(delivery.deliveredThrough(CHAIN)).isEqualTo(4);
  }

  @Test
  void lagGaugesReadSequencesAndMillisecondsBehindWhileTheNodeIsDown() {
    DeliveryLag lag = new DeliveryLag(clock);
    assertThat(lag.sequencesBehind()).isNaN();
    long issuedAt = clock.nowMillis();
    promise(1, 3);
    LaneForwarder f = forwarder("a", lag);
    node.down(true);

    step(f);
    clock.advance(1_500);

    assertThat(lag.holding()).isEqualTo(1);
    assertThat(lag.sequencesBehind()).isEqualTo(3);
    assertThat(lag.millisBehind()).isEqualTo(clock.nowMillis() - issuedAt);

    node.down(false);
    drain(f);

    assertThat(lag.sequencesBehind()).isZero();
    assertThat(lag.millisBehind()).isZero();
    f.release().await().indefinitely();
    assertThat(lag.holding()).isZero();
    assertThat(lag.millisBehind()).isNaN();
  }

  @Test
  void backOffDoublesUpToItsCeiling() {
    Backoff b = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(1));

    assertThat(b.delay(1)).isEqualTo(Duration.ofMillis(250));
    assertThat(b.delay(2)).isEqualTo(Duration.ofMillis(500));
    assertThat(b.delay(3)).isEqualTo(Duration.ofSeconds(1));
    assertThat(b.delay(40)).isEqualTo(Duration.ofSeconds(1));
  }
}
