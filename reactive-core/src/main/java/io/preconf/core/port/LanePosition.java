package io.preconf.core.port;

import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;

/**
 * A position assigned in a lane.
 *
 * @param sequence 1, 2, 3, ... per chain, strictly increasing, never reused
 * @param previous the tx hash at {@code sequence - 1}, or {@link Hash32#ZERO} for sequence 1
 * @param receivedAt unix ms of the assignment, from the sequencer's own clock; non-decreasing along
 *     the lane
 */
public record LanePosition(
    ChainId chainId, Hash32 txHash, long sequence, Hash32 previous, long receivedAt) {}
