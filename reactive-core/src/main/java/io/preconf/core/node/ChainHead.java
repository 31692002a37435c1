package io.preconf.core.node;

import io.preconf.core.types.Hash32;
import java.math.BigInteger;
import java.util.Objects;

/**
 * A rollup node's newest block.
 *
 * @param timestamp the block's time, unix seconds
 * @param baseFeePerGasWei the block's base fee (EIP-1559); zero for a chain without one
 */
public record ChainHead(long number, Hash32 hash, long timestamp, BigInteger baseFeePerGasWei) {
  public ChainHead {
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(baseFeePerGasWei, "baseFeePerGasWei");
  }
}
