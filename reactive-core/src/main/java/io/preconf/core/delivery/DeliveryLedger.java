package io.preconf.core.delivery;

import io.preconf.core.commit.StatusChange;
import io.preconf.core.types.ChainId;
import io.smallrye.mutiny.Uni;

/**
 * The durable side of delivery: for each lane, the sequence its transactions are delivered through
 * (the cursor), and the fence of the latest takeover. Every write names the fence its writer got;
 * once a later takeover raised the fence, the earlier writer's writes change nothing and say so,
 * and it stops. Failures come back as a {@code RejectedException} carrying BACKEND_UNAVAILABLE.
 */
public interface DeliveryLedger {

  /**
   * @param fence higher than the fence of every takeover of this lane before
   * @param deliveredThrough every sequence up to this one is delivered or settled; 0 when none
   */
  record Cursor(long fence, long deliveredThrough) {}

  /** What a fenced write did. */
  enum Write {
    DONE,
    /** A later takeover holds the lane: nothing was written. */
    FENCED_OUT
  }

  /** Takes the lane's delivery over: a new fence, and the cursor where delivery resumes. */
  Uni<Cursor> takeOver(ChainId chain);

  /** Moves the lane's cursor up to {@code deliveredThrough}; never back. */
  Uni<Write> advance(ChainId chain, long fence, long deliveredThrough);

  /**
   * Records that the node refused a promised transaction ({@code change}: its status {@code
   * DELIVERY_FAILED}, the node's words as the reason) in the promise's status and history, and
   * moves the cursor to its sequence, in one transaction. A promise no longer PRECONFIRMED
   * (expired, included meanwhile) keeps its status; the cursor moves all the same.
   */
  Uni<Marked> markFailed(long fence, StatusChange change);

  /** What {@link #markFailed} did. */
  enum Marked {
    MARKED,
    KEPT_STATUS,
    FENCED_OUT
  }
}
