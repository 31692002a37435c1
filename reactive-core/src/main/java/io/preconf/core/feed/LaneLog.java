package io.preconf.core.feed;

import io.preconf.core.types.ChainId;
import io.smallrye.mutiny.Uni;
import java.util.Collection;
import java.util.List;

/**
 * Each lane's live log: the entries the engine publishes as it issues preconfirmations (see {@code
 * FeedPublisher}), kept in lane order, each sequence at most once, never reordered. It is fast and
 * shared by every feed node, but not complete:
 *
 * <ul>
 *   <li>it keeps the recent part of a lane only: older entries are trimmed;
 *   <li>an entry published ahead of an earlier sequence waits until that sequence comes, or until
 *       the log has waited long enough for it and moves on, leaving a gap;
 *   <li>its data may be lost (a wiped server), and then it starts again where publishing resumes.
 * </ul>
 *
 * <p>What it does not hold is in the {@link LaneArchive}; {@link LaneReader} puts the two together.
 * Failures come back as a {@code RejectedException} carrying BACKEND_UNAVAILABLE.
 */
public interface LaneLog {

  /** The last sequence in the lane's log; 0 when nothing was published to it. */
  Uni<Long> head(ChainId chain);

  /**
   * Up to {@code max} entries from sequence {@code from} on, in lane order. The first may come
   * after {@code from} (trimmed, or a gap), and the entries may skip sequences (gaps).
   */
  Uni<List<LaneEntry>> read(ChainId chain, long from, int max);

  /**
   * Asks the logs of these lanes to move on where entries wait: past sequences voided since, and
   * past a missing one once the log's own wait for it is over. Publishing asks by itself; a reader
   * asks for lanes that get no publishes, or their waiting entries would wait for ever. Costs next
   * to nothing for a lane with nothing waiting.
   */
  Uni<Void> moveOn(Collection<ChainId> chains);
}
