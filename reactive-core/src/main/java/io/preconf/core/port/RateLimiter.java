package io.preconf.core.port;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Counts uses against {@link RateLimit}s in fixed windows that every process of the engine shares,
 * so that a client spreading its calls over several processes meets the same limit.
 */
public interface RateLimiter {

  /**
   * {@code uses} of {@code subject} to count against {@code limit}.
   *
   * @param uses not negative; 0 counts nothing and asks whether the window has room left
   */
  record Use(RateLimit limit, String subject, int uses) {
    public Use {
      Objects.requireNonNull(limit, "limit");
      Objects.requireNonNull(subject, "subject");
      if (uses < 0) {
        throw new IllegalArgumentException(
            "uses of " + subject + " under " + limit.name() + " must not be negative, got " + uses);
      }
    }
  }

  /**
   * Counts every one of {@code uses} against its subject's current window of its limit, all in one
   * atomic step and one call to the shared counts. A use that is refused counts too: a client that
   * keeps calling over its limit does not gain by it.
   *
   * <p>Fails with a {@code RejectedException} carrying BACKEND_UNAVAILABLE when the counts cannot
   * be reached.
   *
   * @return for each use, in order, {@link Duration#ZERO} when it fits in the window, else how long
   *     until that window ends
   */
  Uni<List<Duration>> take(List<Use> uses);

  /** Counts one subject's {@code uses}; see {@link #take(List)}. */
  default Uni<Duration> take(RateLimit limit, String subject, int uses) {
    return take(List.of(new Use(limit, subject, uses))).onItem().transform(waits -> waits.get(0));
  }
}
