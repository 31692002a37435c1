package io.preconf.core.node;

import io.preconf.core.types.Hash32;
import java.math.BigInteger;
import java.util.Objects;

/**
 * Where a transaction landed in a rollup node's chain, and how it ran.
 *
 * @param index the transaction's position in its block
 * @param succeeded false when it ran and reverted (it is included all the same)
 * @param effectiveGasPriceWei what each unit of gas cost its sender
 */
public record Receipt(
    Hash32 txHash,
    long blockNumber,
    Hash32 blockHash,
    int index,
    boolean succeeded,
    long gasUsed,
    BigInteger effectiveGasPriceWei) {
  public Receipt {
    Objects.requireNonNull(txHash, "txHash");
    Objects.requireNonNull(blockHash, "blockHash");
    Objects.requireNonNull(effectiveGasPriceWei, "effectiveGasPriceWei");
  }
}
