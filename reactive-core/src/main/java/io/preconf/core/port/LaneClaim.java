package io.preconf.core.port;

import io.preconf.core.types.Address;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import java.math.BigInteger;
import java.util.Objects;

/**
 * One leg of a request asking for the next position in its rollup's lane.
 *
 * @param targetSlot the slot whose capacity this leg consumes, or the earliest it may
 * @param lastSlot the latest slot it may consume instead, when {@code targetSlot} is full: the
 *     sequencer takes the earliest from {@code targetSlot} to {@code lastSlot} with room
 * @param maxPerSlot how many preconfirmations the rollup takes per slot
 * @param maxGasPerSlot how much gas the rollup's preconfirmations may use per slot
 * @param state what the rollup's node says of the sender, for a rollup whose senders are checked
 *     there ({@link SenderBook}); null for one whose are not
 */
public record LaneClaim(
    ChainId chainId,
    Hash32 txHash,
    Address sender,
    long nonce,
    long gasLimit,
    long targetSlot,
    long lastSlot,
    int maxPerSlot,
    long maxGasPerSlot,
    StateCheck state) {

  public LaneClaim {
    if (lastSlot < targetSlot) {
      throw new IllegalArgumentException(
          "lastSlot " + lastSlot + " is before targetSlot " + targetSlot);
    }
  }

  /** A leg on one slot of a rollup whose senders are not checked on a node. */
  public LaneClaim(
      ChainId chainId,
      Hash32 txHash,
      Address sender,
      long nonce,
      long gasLimit,
      long targetSlot,
      int maxPerSlot,
      long maxGasPerSlot) {
    this(
        chainId,
        txHash,
        sender,
        nonce,
        gasLimit,
        targetSlot,
        targetSlot,
        maxPerSlot,
        maxGasPerSlot,
        null);
  }

  /**
   * The sender as the rollup's node holds it at one block, and what the leg asks of it.
   *
   * @param nodeNonce the sender's nonce on the node
   * @param balanceWei the sender's balance on the node, at the same block
   * @param baseFeeWei the highest base fee the node's chain can reach by the (earliest) target slot
   * @param maxFeeWei the most the transaction pays per gas ({@code maxFeePerGas}, or the gas price)
   * @param costWei the most the transaction can cost ({@code value + gasLimit * maxFeeWei})
   * @param holdMs how long the leg's promise keeps its nonce and cost reserved, unless the node's
   *     nonce passes it first: at least the promise's life
   */
  public record StateCheck(
      long nodeNonce,
      BigInteger balanceWei,
      BigInteger baseFeeWei,
      BigInteger maxFeeWei,
      BigInteger costWei,
      long holdMs) {
    public StateCheck {
      Objects.requireNonNull(balanceWei, "balanceWei");
      Objects.requireNonNull(baseFeeWei, "baseFeeWei");
      Objects.requireNonNull(maxFeeWei, "maxFeeWei");
      Objects.requireNonNull(costWei, "costWei");
    }
  }
}
