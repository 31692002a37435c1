package io.preconf.core.commit;

import io.preconf.core.types.Hash32;

/**
 * Where a promised transaction landed.
 *
 * @param index the transaction's position in the block
 */
public record Finality(long blockNumber, Hash32 blockHash, int index) {}
