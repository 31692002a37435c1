package io.preconf.core.port;

import io.preconf.core.error.Rejection;

/** What the sequencer did with one {@link LaneClaim}. */
public sealed interface LaneOutcome {

  /** The leg holds a new position, promised for {@code targetSlot}. */
  record Assigned(LanePosition position, long targetSlot) implements LaneOutcome {}

  /** The same transaction already holds a position: answer with its existing preconfirmation. */
  record AlreadyPreconfirmed() implements LaneOutcome {}

  /** The leg was refused (NONCE_CONFLICT, SLOT_CAPACITY_EXCEEDED). */
  record Refused(Rejection rejection) implements LaneOutcome {}

  /** The leg was acceptable, but an atomic request had another leg refused, so nothing moved. */
  record Skipped() implements LaneOutcome {}
}
