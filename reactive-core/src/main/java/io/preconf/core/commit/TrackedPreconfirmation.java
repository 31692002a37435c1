package io.preconf.core.commit;

import java.util.Objects;

/**
 * A stored preconfirmation and where its promise stands.
 *
 * @param finality where it was included, or null before inclusion
 */
public record TrackedPreconfirmation(
    Preconfirmation preconfirmation, Status status, Finality finality) {
  public TrackedPreconfirmation {
    Objects.requireNonNull(preconfirmation, "preconfirmation");
    Objects.requireNonNull(status, "status");
  }

  /**
   * The status as of {@code nowMs}: a promise still PRECONFIRMED, or DELIVERY_FAILED, after its
   * expiry has lapsed unused, whether or not a reconciliation has said so yet.
   */
  public Status statusAt(long nowMs) {
    if ((status == Status.PRECONFIRMED || status == Status.DELIVERY_FAILED)
        && nowMs > preconfirmation.commitment().expiresAt()) {
      return Status.EXPIRED;
    }
    return status;
  }
}
