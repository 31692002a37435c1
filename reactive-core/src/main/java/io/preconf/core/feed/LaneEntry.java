package io.preconf.core.feed;

import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.Hash32;

/**
 * One position of a lane as the feed reads it: the preconfirmation issued at that sequence, or a
 * void sequence (assigned, never recorded) that readers step over. The live log ({@link LaneLog})
 * and the archive ({@link LaneArchive}) both answer in these.
 */
public sealed interface LaneEntry {
  long sequence();

  /**
   * @param signedTransaction the promised transaction's signed bytes, for in-process readers (the
   *     node's forwarder); null where they were not kept (a preconfirmation recorded before the
   *     engine kept them). The public feed never shows them.
   */
  record Issued(long sequence, Preconfirmation preconfirmation, Bytes signedTransaction)
      implements LaneEntry {

    /** An entry whose signed bytes were not kept. */
    public Issued(long sequence, Preconfirmation preconfirmation) {
      this(sequence, preconfirmation, null);
    }
  }

  record Void(long sequence, Hash32 txHash) implements LaneEntry {}
}
