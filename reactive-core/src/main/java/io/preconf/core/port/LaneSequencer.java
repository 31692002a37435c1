package io.preconf.core.port;

import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

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
   * gives a NONCE_CONFLICT refusal; a leg carrying its sender's state on the rollup's node is
   * judged by {@link SenderBook} against that sender's open promises (NONCE_TOO_LOW,
   * NONCE_CONFLICT, NONCE_GAP, BASE_FEE_TOO_LOW, INSUFFICIENT_BALANCE) and, once assigned, reserves
   * its nonce and cost until the node's nonce passes it or its hold lapses, whichever comes first,
   * or its position is voided; a full target slot (count or gas) gives SLOT_CAPACITY_EXCEEDED. When
   * {@code atomic} is true and any leg is refused, no lane changes: the refused legs say why and
   * the others are {@link LaneOutcome.Skipped}.
   *
   * <p>Fails with a {@code RejectedException} carrying BACKEND_UNAVAILABLE when the sequencer
   * cannot be reached.
   */
  default Uni<List<LaneOutcome>> claim(List<LaneClaim> claims, boolean atomic) {
    return claimAll(List.of(new ClaimGroup(claims, atomic)))
        .onItem()
        .transform(outcomes -> outcomes.get(0));
  }

  /**
   * Claims positions for several requests' legs in one atomic step: each group is judged as {@link
   * #claim} judges one request, the groups one after the other in the order given, so a later group
   * sees what earlier ones took (its transaction already held, its nonce taken, its slot fuller),
   * and the lanes' order is the groups' order. An atomic group is all or nothing on its own; a
   * refusal in one group never changes another's outcomes. Returns one list of outcomes per group,
   * in order, each with one outcome per claim of its group.
   *
   * <p>Fails, for every group, with a {@code RejectedException} carrying BACKEND_UNAVAILABLE when
   * the sequencer cannot be reached.
   */
  Uni<List<List<LaneOutcome>>> claimAll(List<ClaimGroup> groups);

  /**
   * Voids positions whose preconfirmations could not be recorded durably: the sequences stay used
   * (never reused, never held twice), are marked void, and the transactions may be submitted again;
   * the nonce and cost each reserved of its sender are released too.
   */
  Uni<Void> abandon(List<LanePosition> positions);

  /**
   * Voids the position {@code txHash} holds on {@code chainId} when it was assigned more than
   * {@code olderThan} ago. A request that crashed between its claim and its record (or its {@link
   * #abandon}) leaves the transaction and its nonce held, with nothing recorded, for ever; the
   * caller, having found no record well after any live request would have made one, releases them
   * so the transaction can be submitted again. Only the stale position is voided: one assigned to
   * the transaction again meanwhile is left alone.
   *
   * @return the position voided, or empty when the transaction holds none, or a younger one
   */
  Uni<Optional<LanePosition>> releaseStale(ChainId chainId, Hash32 txHash, Duration olderThan);

  /**
   * Voids every open position of a lane (assigned, and neither recorded nor void) assigned more
   * than {@code olderThan} ago, as {@link #abandon} does: whatever killed the request that claimed
   * it, its transaction, nonce and slot room are released and the feed steps over it at once. An
   * adapter that knows which process holds a position voids it sooner once that process is gone. A
   * record of a swept position is refused from then on, and a position recorded meanwhile is left
   * alone, so sweeping is safe to repeat and to run from several processes at once.
   *
   * @return the positions voided
   */
  Uni<List<LanePosition>> sweep(ChainId chainId, Duration olderThan);
}
