package io.preconf.core.port;

import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * Assigns lane positions first come, first served. One call is one atomic step over every leg on
 * every lane: the order of sequences is the order of arrival, and nobody can be put in front of a
 * leg once it holds its position.
 */
public interface LaneSequencer {

  /**
   * Claims positions for every leg, in one atomic step. Returns one outcome per claim, in order.
   * Per leg: a transaction that already holds a position gives {@link
   * LaneOutcome.AlreadyPreconfirmed}; another transaction with the same (chain, sender, nonce)
   * gives a NONCE_CONFLICT refusal; a full target slot (count or gas) gives SLOT_CAPACITY_EXCEEDED.
   * When {@code atomic} is true and any leg is refused, no lane changes: the refused legs say why
   * and the others are {@link LaneOutcome.Skipped}.
   *
   * <p>Fails with a {@code RejectedException} carrying BACKEND_UNAVAILABLE when the sequencer
   * cannot be reached.
   */
  Uni<List<LaneOutcome>> claim(List<LaneClaim> claims, boolean atomic);

  /**
   * Voids positions whose preconfirmations could not be recorded durably: the sequences stay used
   * (never reused, never held twice), are marked void, and the transactions may be submitted again.
   */
  Uni<Void> abandon(List<LanePosition> positions);
}
