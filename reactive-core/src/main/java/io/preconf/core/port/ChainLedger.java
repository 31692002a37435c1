package io.preconf.core.port;

import io.preconf.core.commit.TrackedPreconfirmation;
import io.preconf.core.finality.Block;
import io.preconf.core.finality.ChainView;
import io.preconf.core.finality.ReconcilePlan;
import io.preconf.core.finality.SeenBlock;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.smallrye.mutiny.Uni;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The blocks each chain showed and where its promises stand: what finality reads and writes.
 * Failures come back as a {@code RejectedException} carrying BACKEND_UNAVAILABLE.
 */
public interface ChainLedger {

  /** The chain around an incoming block: head, the same hash, the canonical blocks at n and n-1. */
  Uni<ChainView> view(ChainId chain, long number, Hash32 hash);

  /** The canonical blocks at {@code number} and above, with what each did, lowest first. */
  Uni<List<SeenBlock>> canonicalFrom(ChainId chain, long number);

  /** Recorded blocks by hash, canonical or not; unknown hashes are left out. */
  Uni<List<Block>> blocks(ChainId chain, Collection<Hash32> hashes);

  /** The promises a block may touch; see {@link Candidates}. */
  Uni<List<TrackedPreconfirmation>> candidates(Candidates query);

  /**
   * The promises signed under any of {@code roots}, on every chain: the legs of those atomic
   * bundles, as stored.
   */
  Uni<List<TrackedPreconfirmation>> bundleLegs(Collection<Hash32> roots);

  /**
   * Writes a plan in one transaction: the orphaned blocks lose their place and their violations are
   * retracted, the undo and the block's effects set the promises' statuses and finality records,
   * with a status history entry each, the block is recorded as canonical with its effects, and the
   * violations with their evidence. Fails with {@link ChainMoved} (and writes nothing) when the
   * chain's version is no longer the plan's.
   */
  Uni<Void> commit(ReconcilePlan plan);

  /**
   * What the promises a block may touch are read by: the union of the promises of chain {@code
   * chain} whose transactions are in {@code txHashes}, those of any chain whose ids are in {@code
   * ids} (the legs of atomic bundles an orphaned block broke may be on other chains); those still
   * PRECONFIRMED whose target slot is before {@code slot} or whose commitment expires before {@code
   * slotStartMs}; those DELIVERY_FAILED whose commitment expires before {@code slotStartMs}; those
   * included with a lane sequence above the lowest sequence among the {@code txHashes} promises;
   * and the INCLUDED ones at block number {@code finalizeUpTo} or lower. Of the overdue
   * PRECONFIRMED ones, at most {@code sweepLimit}, lowest target slot first.
   */
  record Candidates(
      ChainId chain,
      Set<Hash32> txHashes,
      Set<Hash32> ids,
      long slot,
      long slotStartMs,
      long finalizeUpTo,
      int sweepLimit) {
    public Candidates {
      txHashes = Set.copyOf(txHashes);
      ids = Set.copyOf(ids);
    }
  }

  /** Another reconciliation of the same chain committed first; read again and retry. */
  final class ChainMoved extends RuntimeException {
    public ChainMoved(ChainId chain, long expected, long found) {
      super(
          "chain "
              + chain
              + " moved to version "
              + found
              + " while a block was judged against version "
              + expected,
          null,
          false,
          false);
    }
  }
}
