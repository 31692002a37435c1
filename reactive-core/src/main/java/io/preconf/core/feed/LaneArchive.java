package io.preconf.core.feed;

import io.preconf.core.types.ChainId;
import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * Each lane's durable history by sequence: every preconfirmation recorded and every sequence
 * voided. Readers take from it what the {@link LaneLog} no longer holds (trimmed, lost) or never
 * got (a publish that failed after the record).
 *
 * <p>A sequence in neither the log nor the archive was never promised, or its record has not
 * committed yet; the archive cannot tell which, so readers give it time ({@link LaneReader}).
 * Failures come back as a {@code RejectedException} carrying BACKEND_UNAVAILABLE.
 */
public interface LaneArchive {

  /**
   * Up to {@code max} entries with {@code from <= sequence <= to}, in lane order. A sequence both
   * recorded and voided is the issued entry: the record is what was promised.
   */
  Uni<List<LaneEntry>> read(ChainId chain, long from, long to, int max);

  /** The highest sequence recorded for the lane, issued or void; 0 when none. */
  Uni<Long> lastSequence(ChainId chain);
}
