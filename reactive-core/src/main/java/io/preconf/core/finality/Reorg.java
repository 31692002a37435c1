package io.preconf.core.finality;

import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import java.util.List;

/**
 * A reorg: the canonical blocks from {@code height} up were replaced by a block of another branch.
 *
 * @param replaced the canonical block that was at {@code height}, or null when the new block
 *     returns to a branch orphaned earlier at a height now empty
 * @param orphaned the orphaned blocks' hashes, lowest first
 */
public record Reorg(
    ChainId chainId, long height, Hash32 replaced, Hash32 replacement, List<Hash32> orphaned) {
  public Reorg {
    orphaned = List.copyOf(orphaned);
  }

  public int depth() {
    return orphaned.size();
  }
}
