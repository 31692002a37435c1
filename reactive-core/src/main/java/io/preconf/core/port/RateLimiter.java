package io.preconf.core.port;

import io.smallrye.mutiny.Uni;
import java.time.Duration;

/**
 * Counts uses against {@link RateLimit}s in fixed windows that every process of the engine shares,
 * so that a client spreading its calls over several processes meets the same limit.
 */
public interface RateLimiter {

  /**
   * Counts {@code uses} against {@code subject}'s current window of {@code limit}, in one atomic
   * step. A use that is refused counts too: a client that keeps calling over its limit does not
   * gain by it.
   *
   * <p>Fails with a {@code RejectedException} carrying BACKEND_UNAVAILABLE when the counts cannot
   * be reached.
   *
   * @return {@link Duration#ZERO} when the uses fit in the window, else how long until it ends
   */
  Uni<Duration> take(RateLimit limit, String subject, int uses);
}
