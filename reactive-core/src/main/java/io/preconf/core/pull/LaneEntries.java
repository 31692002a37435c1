package io.preconf.core.pull;

import io.preconf.core.types.ChainId;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.OptionalLong;

/**
 * A lane's recorded positions, for block builders: every promise with its signed transaction and
 * status, and every void position. Failures come back as a {@code RejectedException} carrying
 * BACKEND_UNAVAILABLE.
 */
public interface LaneEntries {

  /**
   * Up to {@code max} entries with {@code sequence >= from}, in lane order; with a {@code
   * targetSlot}, only the promises for that slot (void positions have none).
   */
  Uni<List<PulledEntry>> read(ChainId chain, long from, OptionalLong targetSlot, int max);
}
