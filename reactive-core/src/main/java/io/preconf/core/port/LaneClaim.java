package io.preconf.core.port;

import io.preconf.core.types.Address;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;

/**
 * One leg of a request asking for the next position in its rollup's lane.
 *
 * @param targetSlot the slot whose capacity this leg consumes
 * @param maxPerSlot how many preconfirmations the rollup takes per slot
 * @param maxGasPerSlot how much gas the rollup's preconfirmations may use per slot
 */
public record LaneClaim(
    ChainId chainId,
    Hash32 txHash,
    Address sender,
    long nonce,
    long gasLimit,
    long targetSlot,
    int maxPerSlot,
    long maxGasPerSlot) {}
