package io.preconf.core.finality;

import static io.preconf.core.error.ErrorCode.VALIDATION_FAILED;

import io.preconf.core.error.Reason;
import io.preconf.core.error.Rejection;
import io.preconf.core.rollup.RollupConfig;

/**
 * Where an incoming block goes, decided from what the ledger has seen of its chain.
 *
 * <p>The policy, in the order the guards run:
 *
 * <ol>
 *   <li>A block whose hash is already canonical is a duplicate: nothing happens. The same hash with
 *       other contents is refused (CONFLICTING_BLOCK). A block orphaned earlier that comes back is
 *       placed like a new one.
 *   <li>A block more than {@link FinalityConfig#futureSlots()} slots ahead of the clock is refused
 *       (SLOT_IN_FUTURE): it would declare promises broken before their time.
 *   <li>A chain's first block is taken as it is.
 *   <li>A block more than {@link FinalityConfig#maxAhead()} heights above the head is refused
 *       (TOO_FAR_AHEAD), so that a made-up far-future block never becomes a new start.
 *   <li>When a canonical block sits at {@code number - 1}, the incoming block must name it as its
 *       parent (else UNKNOWN_PARENT: the feeder must send the new branch's blocks oldest first). It
 *       then extends the head, or, at a height already taken, replaces the canonical blocks from
 *       its height up: a reorg, refused (REORG_BEYOND_FINALITY) when the replaced block is {@link
 *       FinalityConfig#depth()} or more below the head.
 *   <li>Without a canonical block at {@code number - 1}, a block above the head is taken as a new
 *       start: the feeder skipped heights (it began late, or was down), and the engine judges with
 *       the blocks it was given. A block below the head with no seen parent is refused
 *       (OUT_OF_ORDER): placing it would need blocks the engine never saw.
 *   <li>A block's slot may not be earlier than its parent's.
 * </ol>
 *
 * <p>{@link #afterDivergence} places a block of a node whose chain no longer meets the recorded one
 * within the finality depth (a revert deeper than it, a node restarted from older state or empty):
 * the two guards that protect the recorded chain from a feeder, REORG_BEYOND_FINALITY and
 * OUT_OF_ORDER, then give way, and the block replaces the canonical blocks from its height up.
 */
public sealed interface Placement {

  /** The block is already canonical. */
  record Duplicate() implements Placement {}

  /** The block cannot be placed. */
  record Refused(Rejection rejection) implements Placement {}

  /** The block becomes the new head. */
  record Extend() implements Placement {}

  /** The canonical blocks from {@code height} to the head are replaced by the block. */
  record Replace(long height) implements Placement {}

  static Placement of(
      Block block, ChainView view, RollupConfig rollup, FinalityConfig config, long nowMs) {
    return of(block, view, rollup, config, nowMs, false);
  }

  /** As {@link #of}, for a block of a node whose chain diverged deeper than the finality depth. */
  static Placement afterDivergence(
      Block block, ChainView view, RollupConfig rollup, FinalityConfig config, long nowMs) {
    return of(block, view, rollup, config, nowMs, true);
  }

  private static Placement of(
      Block block,
      ChainView view,
      RollupConfig rollup,
      FinalityConfig config,
      long nowMs,
      boolean diverged) {
    SeenBlock known = view.sameHash();
    if (known != null) {
      if (!known.block().equals(block)) {
        return refused(
            Reason.CONFLICTING_BLOCK,
            "block "
                + block.hash()
                + " was recorded as number "
                + known.block().number()
                + " at slot "
                + known.block().slot()
                + " with "
                + known.block().transactions().size()
                + " transactions; this one has number "
                + block.number()
                + ", slot "
                + block.slot()
                + ", "
                + block.transactions().size()
                + " transactions, or another parent or order");
      }
      if (known.canonical()) {
        return new Duplicate();
      }
    }
    long latest = rollup.slotAt(nowMs) + config.futureSlots();
    if (block.slot() > latest) {
      return refused(
          Reason.SLOT_IN_FUTURE,
          "block "
              + block.number()
              + " claims slot "
              + block.slot()
              + ", but chain "
              + block.chainId()
              + " is at slot "
              + rollup.slotAt(nowMs)
              + " now; at most "
              + latest
              + " is taken");
    }
    Block head = view.head();
    if (head == null) {
      return new Extend();
    }
    if (block.number() - head.number() > config.maxAhead()) {
      return refused(
          Reason.TOO_FAR_AHEAD,
          "block "
              + block.number()
              + " is "
              + (block.number() - head.number())
              + " heights above the head "
              + head.number()
              + " of chain "
              + block.chainId()
              + "; at most "
              + config.maxAhead()
              + " are taken (preconf.finality.max-ahead)");
    }
    Block parent = view.atParentHeight();
    if (parent != null) {
      if (!parent.hash().equals(block.parentHash())) {
        return refused(
            Reason.UNKNOWN_PARENT,
            "block "
                + block.number()
                + " names parent "
                + block.parentHash()
                + ", but the block seen at "
                + parent.number()
                + " is "
                + parent.hash()
                + "; send the blocks of the new branch oldest first");
      }
      if (block.slot() < parent.slot()) {
        return slotBeforeParent(block, parent);
      }
      if (block.number() > head.number()) {
        return new Extend();
      }
      if (diverged) {
        return new Replace(block.number());
      }
      if (view.atHeight() == null) {
        return outOfOrder(block, head);
      }
      if (head.number() - block.number() >= config.depth()) {
        return refused(
            Reason.REORG_BEYOND_FINALITY,
            "block "
                + block.number()
                + " ("
                + block.hash()
                + ") would replace block "
                + view.atHeight().hash()
                + ", which is "
                + (head.number() - block.number())
                + " blocks below the head "
                + head.number()
                + " and final at depth "
                + config.depth());
      }
      return new Replace(block.number());
    }
    if (block.number() > head.number()) {
      if (block.slot() < head.slot()) {
        return slotBeforeParent(block, head);
      }
      return new Extend();
    }
    return diverged ? new Replace(block.number()) : outOfOrder(block, head);
  }

  private static Placement outOfOrder(Block block, Block head) {
    return refused(
        Reason.OUT_OF_ORDER,
        "block "
            + block.number()
            + " ("
            + block.hash()
            + ") is below the head "
            + head.number()
            + " and its parent "
            + block.parentHash()
            + " was never seen at "
            + (block.number() - 1)
            + "; blocks below the head are taken only as a reorg of a seen parent");
  }

  private static Placement slotBeforeParent(Block block, Block earlier) {
    return refused(
        Reason.OUT_OF_RANGE,
        "block "
            + block.number()
            + " claims slot "
            + block.slot()
            + ", earlier than slot "
            + earlier.slot()
            + " of block "
            + earlier.number()
            + " below it");
  }

  private static Placement refused(Reason reason, String message) {
    return new Refused(Rejection.of(VALIDATION_FAILED, reason, message));
  }
}
