package io.preconf.core.engine;

import static io.preconf.core.error.ErrorCode.PRECONFIRMATION_GENERATION_FAILED;

import io.preconf.core.error.Reason;
import io.preconf.core.error.Rejection;
import io.preconf.core.port.LaneOutcome;
import io.preconf.core.port.LanePosition;
import io.preconf.core.port.LaneSequencer;
import io.preconf.core.port.PreconfirmationStore;
import io.preconf.core.time.Timeouts;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Answers legs whose transactions already hold a lane position with the preconfirmation recorded
 * for them. A concurrent request may still be signing one, so the lookup waits for its record,
 * bounded; a position older than any live request can be is released (see {@link #neverRecorded}).
 */
final class RecordedLookup {
  /**
   * How many preconfirm deadlines a lane position may stay unrecorded before the request that
   * claimed it is taken for gone.
   */
  static final int STALE_AFTER = 2;

  /**
   * How often a wait for a record claims the transaction again: the lanes answer such a claim with
   * a fresh position once the holder is known to be gone (its process died), and the leg is issued
   * there rather than left to time out.
   */
  static final Duration CLAIM_AGAIN_EVERY = Duration.ofSeconds(1);

  /** Issues one leg at a position freshly assigned to it. */
  interface Reissue {
    Uni<Issued> issue(Leg leg, LanePosition position);
  }

  private final PreconfirmationStore store;
  private final LaneSequencer lanes;
  private final Duration deadline;

  /**
   * @param deadline the preconfirm deadline: a lookup waits half of it
   */
  RecordedLookup(PreconfirmationStore store, LaneSequencer lanes, Duration deadline) {
    this.store = store;
    this.lanes = lanes;
    this.deadline = deadline;
  }

  /**
   * Each leg's recorded preconfirmation, once its holder has recorded it; or, when the lanes free
   * the leg's position meanwhile (its holder is gone), a preconfirmation {@code reissue} makes at
   * the position it is given instead.
   */
  Uni<Issued> awaitRecorded(List<Leg> legs, Reissue reissue) {
    List<Uni<Issued>> lookups = new ArrayList<>(legs.size());
    for (Leg leg : legs) {
      lookups.add(awaitRecorded(leg, reissue));
    }
    return Issued.combined(lookups);
  }

  /**
   * After the store refused a record: a transaction may be recorded already, its claim having left
   * the lanes (they keep claims for a while only, the store for good). Such a leg gets its recorded
   * preconfirmation, as any resubmission does; every other leg gets {@code why}.
   */
  Uni<Issued> recordedOr(List<Leg> legs, Rejection why) {
    List<Uni<Issued>> each = new ArrayList<>(legs.size());
    for (Leg leg : legs) {
      each.add(
          store
              .find(leg.tx().chainId(), leg.tx().txHash())
              .onFailure()
              .recoverWithItem(Optional.empty())
              .onItem()
              .transform(
                  found ->
                      found
                          .map(p -> Issued.found(leg, p))
                          .orElseGet(() -> Issued.failed(List.of(leg), why))));
    }
    return Issued.combined(each);
  }

  private Uni<Issued> awaitRecorded(Leg leg, Reissue reissue) {
    ChainId chainId = leg.tx().chainId();
    Hash32 txHash = leg.tx().txHash();
    Duration wait = deadline.dividedBy(2);
    AtomicLong lastClaim = new AtomicLong(System.nanoTime());
    return Uni.createFrom()
        .deferred(
            () -> {
              // Tries follow one another, never overlap: a plain read and write will do.
              long now = System.nanoTime();
              if (now - lastClaim.get() < CLAIM_AGAIN_EVERY.toNanos()) {
                return recorded(leg);
              }
              lastClaim.set(now);
              return claimAgain(leg, reissue);
            })
        .onFailure(NotYetRecorded.class)
        .retry()
        .withBackOff(Duration.ofMillis(2), Duration.ofMillis(100))
        .withExecutor(Timeouts.scheduler())
        .expireIn(wait.toMillis())
        .onFailure()
        .recoverWithUni(
            failure ->
                // The back-off gives up with its own exception, the last failure as its cause.
                failure instanceof NotYetRecorded || failure.getCause() instanceof NotYetRecorded
                    ? neverRecorded(leg, wait)
                    : Uni.createFrom()
                        .item(
                            Issued.failed(
                                List.of(leg), BackendFailures.rejection(failure, "store"))));
  }

  /** The leg's recorded preconfirmation; fails with {@link NotYetRecorded} while there is none. */
  private Uni<Issued> recorded(Leg leg) {
    return store
        .find(leg.tx().chainId(), leg.tx().txHash())
        .onItem()
        .transform(found -> Issued.found(leg, found.orElseThrow(NotYetRecorded::new)));
  }

  /**
   * Claims the leg's transaction again: still held, it is looked up as before; given a position
   * (its holder was gone and the lanes voided its old one), it is issued there.
   */
  private Uni<Issued> claimAgain(Leg leg, Reissue reissue) {
    return lanes
        .claim(List.of(leg.claim()), false)
        .onItem()
        .transformToUni(
            outcomes ->
                outcomes.get(0) instanceof LaneOutcome.Assigned assigned
                    ? reissue.issue(leg, assigned.position())
                    : recorded(leg));
  }

  /**
   * A transaction held in its lane with no record. Usually a concurrent request is still at work on
   * it. When the position is older than any live request can be ({@link #STALE_AFTER} deadlines),
   * the request that claimed it is gone (it crashed between its claim and its record) and nothing
   * else would ever release it: the position is voided, so that resubmitting works.
   */
  private Uni<Issued> neverRecorded(Leg leg, Duration waited) {
    ChainId chainId = leg.tx().chainId();
    Hash32 txHash = leg.tx().txHash();
    String tx = "transaction " + txHash + " on chain " + chainId;
    return lanes
        .releaseStale(chainId, txHash, deadline.multipliedBy(STALE_AFTER))
        .onFailure()
        .recoverWithItem(Optional.empty())
        .onItem()
        .transform(
            released -> {
              String message =
                  released.isPresent()
                      ? tx
                          + " held sequence "
                          + released.get().sequence()
                          + " since "
                          + released.get().receivedAt()
                          + " but was never recorded; that position is now void: resubmit"
                      : tx
                          + " is held by a concurrent request that did not record it within "
                          + waited.toMillis()
                          + " ms; resubmit";
              return Issued.failed(
                  List.of(leg),
                  Rejection.of(PRECONFIRMATION_GENERATION_FAILED, Reason.TIMEOUT, message));
            });
  }

  private static final class NotYetRecorded extends RuntimeException {
    NotYetRecorded() {
      super("not yet recorded", null, false, false);
    }
  }
}
