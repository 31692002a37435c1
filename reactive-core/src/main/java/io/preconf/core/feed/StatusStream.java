package io.preconf.core.feed;

import io.preconf.core.types.Address;
import io.preconf.core.types.ChainId;
import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * Each chain's status changes, in the order they were announced (see {@code StatusPublisher}). A
 * place in a stream is a cursor: an opaque string, the same for every reader, which a reader keeps
 * to read on after it. Failures come back as a {@code RejectedException} carrying
 * BACKEND_UNAVAILABLE.
 */
public interface StatusStream {

  /**
   * One announced change.
   *
   * @param sender the sender of the transaction the change is about, so that it can go to those who
   *     follow that sender; null when no preconfirmation is recorded for the transaction
   * @param data the change as announced: the {@code data} object of a feed {@code status} message
   *     (spec section 7), as JSON
   */
  record Change(Address sender, String data) {}

  /**
   * One read.
   *
   * @param changes the changes read, in order
   * @param next the cursor to read after next time: the last entry read, or the one given when
   *     nothing was read
   * @param full whether the read stopped at its maximum, so that more may be waiting
   */
  record Batch(List<Change> changes, String next, boolean full) {
    public Batch {
      changes = List.copyOf(changes);
    }
  }

  /** The cursor of the newest change, or of the stream's start when it has none: live from here. */
  Uni<String> newest(ChainId chain);

  /**
   * Up to {@code max} entries after {@code after}, in order. An entry that holds no change (written
   * by something else) is passed over, but still counts and moves the cursor.
   */
  Uni<Batch> readAfter(ChainId chain, String after, int max);
}
