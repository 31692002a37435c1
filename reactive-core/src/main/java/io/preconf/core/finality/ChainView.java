package io.preconf.core.finality;

import io.preconf.core.types.ChainId;

/**
 * What the ledger knows about a chain around one incoming block: enough to tell a new block from a
 * duplicate, an extension from a reorg, and to refuse what cannot be placed.
 *
 * @param version changes with every reconciled block; a write made against an older version is
 *     refused, so two reconciliations of one chain never interleave
 * @param head the highest canonical block, or null before the chain's first block
 * @param sameHash the block already recorded with the incoming block's hash (canonical or
 *     orphaned), or null
 * @param atHeight the canonical block at the incoming block's number, or null
 * @param atParentHeight the canonical block at the incoming block's number minus one, or null
 */
public record ChainView(
    ChainId chainId,
    long version,
    Block head,
    SeenBlock sameHash,
    Block atHeight,
    Block atParentHeight) {

  public static ChainView empty(ChainId chainId) {
    return new ChainView(chainId, 0, null, null, null, null);
  }
}
