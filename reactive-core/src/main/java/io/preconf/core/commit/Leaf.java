package io.preconf.core.commit;

import io.preconf.core.types.Address;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;

/** Placeholder until the leaf encoding lands; replaced by the full record. */
public record Leaf(
    ChainId chainId,
    Hash32 txHash,
    Address sender,
    long nonce,
    long sequence,
    Hash32 previous,
    long receivedAt,
    long targetSlot) {}
