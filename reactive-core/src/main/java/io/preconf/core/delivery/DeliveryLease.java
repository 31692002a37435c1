package io.preconf.core.delivery;

import io.preconf.core.types.ChainId;
import io.smallrye.mutiny.Uni;
import java.time.Duration;

/**
 * Who may hand a lane to its rollup's node: at most one holder per lane at a time, for a time to
 * live that the holder renews. A lease only decides who tries; what it writes is fenced by {@link
 * DeliveryLedger}, so a holder that lost its lease without knowing (a pause longer than the time to
 * live) cannot move the lane's cursor. Failures come back as a {@code RejectedException} carrying
 * BACKEND_UNAVAILABLE.
 */
public interface DeliveryLease {

  /**
   * Takes the lane's lease when nobody holds it, or extends it when {@code holder} holds it
   * already; true when {@code holder} holds it for {@code ttl} from now.
   */
  Uni<Boolean> hold(ChainId chain, String holder, Duration ttl);

  /** Gives the lease up when {@code holder} holds it, so another can take over at once. */
  Uni<Void> release(ChainId chain, String holder);
}
