package io.preconf.core.feed;

import io.preconf.core.types.ChainId;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;

/**
 * Wakes a feed node when any of its lanes moves: one wait over every lane's log and status stream
 * at once, which answers as soon as one of them has news. A node waits again as soon as it is
 * answered, so news reaches it within one round trip of being written.
 */
public interface FeedSignal {

  /**
   * Where one lane stands: the wait is for what comes after.
   *
   * @param logAfter the highest sequence the node has seen in the lane's log
   * @param statusAfter the cursor of the last status change the node has read ({@link
   *     StatusStream})
   */
  record Watch(ChainId chain, long logAfter, String statusAfter) {}

  /** A stream that moved, by the index of its lane's {@link Watch} in the list waited on. */
  sealed interface Moved {
    int watch();

    /** The lane's log has entries after {@link Watch#logAfter}: {@code news} brings them. */
    record Log(int watch, LogNews news) implements Moved {}

    /** The lane's status stream has changes after {@link Watch#statusAfter}. */
    record Status(int watch) implements Moved {}
  }

  /**
   * The new entries of a log, as the wait brought them: a reader that is up to date takes them from
   * here instead of reading them again. They are decoded only when asked for, since a reader that
   * is not where they start reads from its own position anyway.
   */
  interface LogNews {
    /** The sequence of the first new entry; 0 when the answer holds none. */
    long first();

    /**
     * The new entries in lane order, at most the wait's {@code max}, decoded on each call. Fails
     * with an unchecked exception when the log holds something it cannot decode; a reader then
     * reads the log itself, which says what is wrong.
     */
    List<LaneEntry> entries();
  }

  /**
   * Waits until a log holds an entry after its watch's {@code logAfter} or a status stream a change
   * after its {@code statusAfter}, for {@code block} at most. Answers every stream that moved, each
   * once, with up to {@code max} of a log's new entries; an empty list when the time passed with
   * nothing new. An answer comes within {@code block} plus {@link #timeout()}, or the wait fails.
   */
  Uni<List<Moved>> await(List<Watch> watches, int max, Duration block);

  /** How long a wait may take beyond its {@code block} before it fails. */
  Duration timeout();
}
