package io.preconf.core.finality;

import io.preconf.core.commit.Finality;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.commit.Status;
import io.preconf.core.commit.StatusChange;
import io.preconf.core.commit.TrackedPreconfirmation;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import java.util.Objects;

/**
 * What one block did to one promise: its status and inclusion before and after. Kept per block, so
 * that a reorg can put back exactly what an orphaned block changed.
 *
 * @param fromFinality where it was included before, or null
 * @param toFinality where it is included after, or null
 * @param reason why, in one sentence
 */
public record StatusEffect(
    Hash32 preconfirmationId,
    ChainId chainId,
    Hash32 txHash,
    long sequence,
    Status fromStatus,
    Finality fromFinality,
    Status toStatus,
    Finality toFinality,
    String reason) {

  public StatusEffect {
    Objects.requireNonNull(preconfirmationId, "preconfirmationId");
    Objects.requireNonNull(chainId, "chainId");
    Objects.requireNonNull(txHash, "txHash");
    Objects.requireNonNull(fromStatus, "fromStatus");
    Objects.requireNonNull(toStatus, "toStatus");
  }

  /** Moves promise {@code p} from where it stands, {@code from}, to {@code to}. */
  public static StatusEffect move(
      Preconfirmation p, TrackedPreconfirmation from, Status to, Finality where, String reason) {
    return new StatusEffect(
        p.id(),
        p.chainId(),
        p.txHash(),
        p.sequence(),
        from.status(),
        from.finality(),
        to,
        where,
        reason);
  }

  /** The effect that undoes this one. */
  public StatusEffect undo(String why) {
    return new StatusEffect(
        preconfirmationId,
        chainId,
        txHash,
        sequence,
        toStatus,
        toFinality,
        fromStatus,
        fromFinality,
        why);
  }

  /** Whether the status itself moves (an inclusion recorded on a violated promise does not). */
  public boolean changesStatus() {
    return fromStatus != toStatus;
  }

  public StatusChange toChange(long at) {
    return new StatusChange(chainId, txHash, sequence, toStatus, toFinality, reason, at);
  }
}
