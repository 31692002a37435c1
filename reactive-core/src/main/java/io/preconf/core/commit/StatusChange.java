package io.preconf.core.commit;

import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import java.util.Objects;

/**
 * A promise moved to a new status: what the feed streams as {@code {"type":"status",...}} and the
 * status history records.
 *
 * @param finality where the transaction was included, or null
 * @param reason why (for VIOLATED: the kind of violation; for a reorg: what was reverted), or null
 * @param at unix ms of the change
 */
public record StatusChange(
    ChainId chainId,
    Hash32 txHash,
    long sequence,
    Status status,
    Finality finality,
    String reason,
    long at) {
  public StatusChange {
    Objects.requireNonNull(chainId, "chainId");
    Objects.requireNonNull(txHash, "txHash");
    Objects.requireNonNull(status, "status");
  }
}
