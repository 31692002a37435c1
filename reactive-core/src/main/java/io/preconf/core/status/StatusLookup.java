package io.preconf.core.status;

import static io.preconf.core.error.ErrorCode.VALIDATION_FAILED;

import io.preconf.core.commit.Status;
import io.preconf.core.error.Reason;
import io.preconf.core.error.RejectedException;
import io.preconf.core.error.Rejection;
import io.preconf.core.port.Clock;
import io.preconf.core.port.PromiseSnapshot;
import io.preconf.core.port.StatusQuery;
import io.preconf.core.rollup.Rollups;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.smallrye.mutiny.Uni;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The status use case: where the promise for a transaction stands, with the violations recorded
 * against it; or, when there is none, why, naming a lane position that was reserved for the
 * transaction and voided. A backend that fails answers with its coded rejection.
 */
public final class StatusLookup {
  private final Rollups rollups;
  private final StatusQuery statuses;
  private final Clock clock;

  public StatusLookup(Rollups rollups, StatusQuery statuses, Clock clock) {
    this.rollups = Objects.requireNonNull(rollups, "rollups");
    this.statuses = Objects.requireNonNull(statuses, "statuses");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public Uni<PromiseStatus> status(StatusRequest request) {
    Rejection unserved = checkChain(request.chainId());
    if (unserved != null) {
      return answer(PromiseStatus.NotFound.because(unserved));
    }
    if (!request.txHash().isOk()) {
      return answer(PromiseStatus.NotFound.because(request.txHash().rejection()));
    }
    ChainId chainId = ChainId.of(request.chainId());
    Hash32 txHash = request.txHash().value();
    return statuses
        .find(chainId, txHash)
        .onItem()
        .transformToUni(
            found -> found.isPresent() ? answer(asNow(found.get())) : notFound(chainId, txHash))
        .onFailure(RejectedException.class)
        .recoverWithItem(
            failure -> PromiseStatus.NotFound.because(((RejectedException) failure).rejection()));
  }

  /** A request its entry point could not read: no status, for {@code why}. */
  public Uni<PromiseStatus> refuse(Rejection why) {
    return answer(PromiseStatus.NotFound.because(why));
  }

  /** Why the chain cannot be asked about, or null when it is served. */
  private Rejection checkChain(long id) {
    return rollups.refusal(id).orElse(null);
  }

  private PromiseStatus asNow(PromiseSnapshot stored) {
    Status now = stored.promise().statusAt(clock.nowMillis());
    return new PromiseStatus.Found(stored.promise(), now, stored.violations());
  }

  private Uni<PromiseStatus> notFound(ChainId chainId, Hash32 txHash) {
    return statuses
        .voidedSequence(chainId, txHash)
        .onItem()
        .transform(voided -> new PromiseStatus.NotFound(notHeld(chainId, txHash, voided), voided));
  }

  private static Rejection notHeld(ChainId chainId, Hash32 txHash, OptionalLong voided) {
    String message =
        voided.isEmpty()
            ? "no preconfirmation is held for transaction " + txHash + " on chain " + chainId
            : "transaction "
                + txHash
                + " on chain "
                + chainId
                + " holds no preconfirmation: lane sequence "
                + voided.getAsLong()
                + " was reserved for it and voided because its record could not be written; resubmit it";
    return Rejection.of(VALIDATION_FAILED, Reason.NOT_FOUND, message);
  }

  private static Uni<PromiseStatus> answer(PromiseStatus status) {
    return Uni.createFrom().item(status);
  }
}
