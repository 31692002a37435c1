package io.preconf.core.reconcile;

import io.preconf.core.error.Reason;
import io.preconf.core.finality.Block;
import io.preconf.core.port.BlockSource;
import io.preconf.core.types.ChainId;
import io.smallrye.mutiny.Uni;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Feeds one rollup's blocks to {@link Reconciliation} from a node, so that nobody has to call
 * {@code reconcile}. It begins right after the chain's recorded head when the node still has that
 * block, so that the blocks the node made while this process was down are judged too (a promise
 * included in one of them would otherwise count as missed); otherwise (nothing recorded yet, or a
 * node whose chain no longer holds the recorded head) at the node's newest block, a new start of
 * the chain whose earlier blocks are not looked into. Then it takes every block in order. When the
 * node has switched branches, a block names a parent the engine does not have at that height; the
 * follower then steps back one height at a time and feeds the node's blocks from there, which
 * replaces the old branch.
 *
 * <p>The node's chain may also leave the recorded one deeper than the finality depth: a revert
 * further back, a node restarted from older state, or wiped and restarted empty (its heights go
 * backwards). The node is the chain, so the follower neither stays stuck nor takes the new blocks
 * as if nothing happened: when its newest block is below the height it would take next, it goes
 * back to that block; when stepping back passes the depth, or a block is refused as a reorg beyond
 * finality or as below the head with no seen parent, the chain has <em>diverged</em>. It then steps
 * back until the node's block meets the recorded chain (or height 0) and reconciles it with {@link
 * Reconciliation#reconcileAfterDivergence}, which replaces every recorded block from there, undoes
 * what they did (FINALIZED promises included, recorded as REORG_BEYOND_FINALITY) and goes on on the
 * node's chain. Each {@link #poll()} does at most {@code maxBlocksPerPoll} blocks and as many steps
 * back; not thread-safe: poll once at a time.
 */
public final class BlockFollower {
  private static final System.Logger LOG = System.getLogger(BlockFollower.class.getName());

  private final ChainId chain;
  private final BlockSource source;
  private final Reconciliation reconciliation;
  private final int maxBlocksPerPoll;
  private final int maxStepsBack;
  private long next = -1;
  // The node's newest block at the first poll: where a new start begins even when the ledger
  // could not be read until later polls, by which time the node has moved on.
  private long newestAtStart = -1;
  private int steppedBack;
  private boolean diverged;

  /**
   * @param maxStepsBack how many heights below a block with an unknown parent the follower looks
   *     for the node's branch: the deepest reorg reconciliation takes (the finality depth)
   */
  public BlockFollower(
      ChainId chain,
      BlockSource source,
      Reconciliation reconciliation,
      int maxBlocksPerPoll,
      int maxStepsBack) {
    this.chain = Objects.requireNonNull(chain, "chain");
    this.source = Objects.requireNonNull(source, "source");
    this.reconciliation = Objects.requireNonNull(reconciliation, "reconciliation");
    this.maxBlocksPerPoll = maxBlocksPerPoll;
    this.maxStepsBack = maxStepsBack;
  }

  /** The next height this follower will take, or -1 before its first poll. */
  public long next() {
    return next;
  }

  /** Takes the node's new blocks; completes with how many were reconciled. */
  public Uni<Integer> poll() {
    return source
        .latest()
        .onItem()
        .transformToUni(
            latest ->
                latest.isEmpty()
                    ? Uni.createFrom().item(0)
                    : begin(latest.getAsLong())
                        .onItem()
                        .transformToUni(
                            ignored -> {
                              backBelow(latest.getAsLong());
                              return from(latest, 0, 0);
                            }));
  }

  /**
   * A node whose newest block is below the last one taken lost blocks (a revert, a restart from
   * older state or empty): its newest block is where the chains are compared again.
   */
  private void backBelow(long latest) {
    if (latest >= next - 1) {
      return;
    }
    LOG.log(
        System.Logger.Level.WARNING,
        "chain "
            + chain
            + ": the node's newest block "
            + latest
            + " is below block "
            + (next - 1)
            + ", the last one taken; comparing the chains from "
            + latest);
    next = latest;
  }

  /** Sets the first height to take, once. */
  private Uni<Void> begin(long latest) {
    if (next >= 0) {
      return Uni.createFrom().voidItem();
    }
    if (newestAtStart < 0) {
      newestAtStart = latest;
    }
    return reconciliation
        .recordedHead(chain)
        .onItem()
        .transformToUni(head -> firstHeight(head, newestAtStart))
        .onItem()
        .invoke(
            height -> {
              next = height;
              LOG.log(
                  System.Logger.Level.INFO,
                  "chain "
                      + chain
                      + ": following from block "
                      + height
                      + (height <= latest
                          ? " (" + (latest - height + 1) + " to take up to the node's newest)"
                          : " (all taken up to the node's newest, " + latest + ")"));
            })
        .replaceWithVoid();
  }

  /**
   * Right after the recorded head when the node's block at that height is that very block; else
   * {@code newest}, the node's newest block when following began.
   */
  private Uni<Long> firstHeight(Optional<Block> head, long newest) {
    if (head.isEmpty() || head.get().number() > newest) {
      return Uni.createFrom().item(newest);
    }
    Block recorded = head.get();
    return source
        .byNumber(recorded.number())
        .onItem()
        .transform(
            b ->
                b.isPresent() && recorded.hash().toHex().equalsIgnoreCase(b.get().hash())
                    ? recorded.number() + 1
                    : newest);
  }

  private Uni<Integer> from(OptionalLong latest, int done, int steps) {
    if (next > latest.getAsLong() || done >= maxBlocksPerPoll || steps >= maxBlocksPerPoll) {
      return Uni.createFrom().item(done);
    }
    return source
        .byNumber(next)
        .onItem()
        .transformToUni(
            block ->
                block.isEmpty()
                    ? Uni.createFrom().item(done)
                    : (diverged
                            ? reconciliation.reconcileAfterDivergence(block.get())
                            : reconciliation.reconcile(block.get()))
                        .onItem()
                        .transformToUni(result -> advance(result, latest, done, steps)));
  }

  private Uni<Integer> advance(ReconcileResult result, OptionalLong latest, int done, int steps) {
    if (result.outcome() != ReconcileResult.Outcome.REFUSED) {
      next++;
      steppedBack = 0;
      diverged = false;
      return from(latest, done + 1, steps);
    }
    Reason why = result.error().reason();
    if (why == Reason.UNKNOWN_PARENT && next > 0) {
      // The node switched branches below this height: take its blocks from one lower.
      if (steppedBack >= maxStepsBack) {
        diverge(why);
      }
      next--;
      steppedBack++;
      return from(latest, done, steps + 1);
    }
    if (!diverged && (why == Reason.REORG_BEYOND_FINALITY || why == Reason.OUT_OF_ORDER)) {
      diverge(why);
      return from(latest, done, steps + 1);
    }
    LOG.log(
        System.Logger.Level.WARNING,
        "chain " + chain + ": block " + next + " was refused: " + result.error().message());
    return Uni.createFrom().item(done);
  }

  private void diverge(Reason why) {
    if (diverged) {
      return;
    }
    diverged = true;
    LOG.log(
        System.Logger.Level.ERROR,
        "chain "
            + chain
            + ": the node's chain left the recorded one deeper than the finality depth ("
            + why
            + " at block "
            + next
            + "); following the node's chain from where they meet, beyond finality");
  }
}
