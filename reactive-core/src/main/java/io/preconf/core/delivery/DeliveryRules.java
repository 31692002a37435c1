package io.preconf.core.delivery;

import io.preconf.core.feed.LaneEntry;
import io.preconf.core.node.SendOutcome;
import io.preconf.core.types.Bytes;

/**
 * What the forwarder does with each lane position, and with the node's answer. Pure: the I/O is
 * {@link LaneForwarder}'s.
 *
 * <ol>
 *   <li>A void position (assigned, never promised) is stepped over: nothing to send.
 *   <li>A promise whose signed bytes were not kept cannot be sent: it fails delivery, saying so.
 *   <li>Any other promise is sent, as the exact bytes that were promised.
 *   <li>Accepted, already known to the node, or already mined: delivered. Sending the same bytes
 *       twice is harmless, which is what makes resuming from a cursor safe.
 *   <li>Refused: the node will refuse the same bytes again, so the promise fails delivery with the
 *       node's words, and delivery goes on with the next position.
 *   <li>Unreachable: the node may or may not hold it. Nothing after it is sent until the node has
 *       answered for it (the lane's order is the order the node sees), so it is tried again after a
 *       back-off.
 * </ol>
 */
public final class DeliveryRules {
  private DeliveryRules() {}

  /** What to do with a position before asking the node. */
  public sealed interface Plan {}

  /** Rule 1. */
  public record Skip(long sequence) implements Plan {}

  /** Rule 3. */
  public record Send(LaneEntry.Issued entry, Bytes signedTransaction) implements Plan {}

  /** Rule 2 (and, through {@link #judge}, rule 5). */
  public record Fail(LaneEntry.Issued entry, String reason) implements Plan, Verdict {}

  /** What the node's answer means. */
  public sealed interface Verdict {}

  /** Rule 4. */
  public record Delivered(long sequence) implements Verdict {}

  /** Rule 6. */
  public record Retry(long sequence, String why) implements Verdict {}

  public static Plan plan(LaneEntry entry) {
    if (!(entry instanceof LaneEntry.Issued issued)) {
      return new Skip(entry.sequence());
    }
    if (issued.signedTransaction() == null) {
      return new Fail(
          issued,
          "the engine kept no signed bytes of tx "
              + issued.preconfirmation().txHash()
              + " (recorded before transactions were kept), so it cannot hand it to the node");
    }
    return new Send(issued, issued.signedTransaction());
  }

  public static Verdict judge(Send sent, SendOutcome outcome) {
    if (outcome instanceof SendOutcome.Refused r) {
      return new Fail(
          sent.entry(), "the rollup's node refused it (" + r.refusal() + "): " + r.message());
    }
    if (outcome instanceof SendOutcome.Unreachable u) {
      return new Retry(sent.entry().sequence(), u.message());
    }
    return new Delivered(sent.entry().sequence()); // accepted, already known, already mined
  }
}
