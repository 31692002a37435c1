package io.preconf.core.pull;

import io.preconf.core.commit.Status;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.Hash32;
import java.util.Objects;

/**
 * One position of a lane as a block builder pulls it.
 *
 * @param id the preconfirmation's id; null for a void position (assigned, never promised)
 * @param signedTransaction the promised transaction's signed bytes; null for a void position, one
 *     recorded before the engine kept them, or one the caller may not see yet
 * @param status where the promise stands; null for a void position
 */
public record PulledEntry(
    long sequence, Hash32 txHash, Hash32 id, Bytes signedTransaction, Status status) {
  public PulledEntry {
    Objects.requireNonNull(txHash, "txHash");
  }

  public boolean isVoid() {
    return id == null;
  }

  /** The same entry without its signed bytes. */
  public PulledEntry withoutBytes() {
    return new PulledEntry(sequence, txHash, id, null, status);
  }
}
