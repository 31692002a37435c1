package io.preconf.core.feed;

import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.types.Hash32;

/**
 * One position of a lane as the feed reads it: the preconfirmation issued at that sequence, or a
 * void sequence (assigned, never recorded) that readers step over. The live log ({@link LaneLog})
 * and the archive ({@link LaneArchive}) both answer in these.
 */
public sealed interface LaneEntry {
  long sequence();

  record Issued(long sequence, Preconfirmation preconfirmation) implements LaneEntry {}

  record Void(long sequence, Hash32 txHash) implements LaneEntry {}
}
