package io.preconf.core.commit;

import io.preconf.core.types.Address;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import java.util.Objects;

/**
 * One preconfirmed transaction as it is committed to (spec section 2). The {@code long} fields are
 * Solidity {@code uint64} values and are encoded as unsigned: -1 stands for 2^64 - 1.
 *
 * @param previous txHash of the lane's entry at {@code sequence - 1}, {@link Hash32#ZERO} for the
 *     first
 * @param receivedAt unix milliseconds at which the lane position was assigned
 * @param targetSlot the rollup slot by which inclusion is promised
 */
public record Leaf(
    ChainId chainId,
    Hash32 txHash,
    Address sender,
    long nonce,
    long sequence,
    Hash32 previous,
    long receivedAt,
    long targetSlot) {

  public Leaf {
    Objects.requireNonNull(chainId, "chainId");
    Objects.requireNonNull(txHash, "txHash");
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(previous, "previous");
  }

  /** The leaf hash, which is also the preconfirmation's {@code id}. */
  public Hash32 hash() {
    return LeafEncoding.leafHash(this);
  }
}
