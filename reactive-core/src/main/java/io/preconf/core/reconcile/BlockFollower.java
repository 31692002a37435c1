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
 * replaces the old branch. Each {@link #poll()} does at most {@code maxBlocksPerPoll} blocks; not
 * thread-safe: poll once at a time.
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
                        .transformToUni(ignored -> from(latest, 0)));
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

  private Uni<Integer> from(OptionalLong latest, int done) {
    if (next > latest.getAsLong() || done >= maxBlocksPerPoll) {
      return Uni.createFrom().item(done);
    }
    return source
        .byNumber(next)
        .onItem()
        .transformToUni(
            block ->
                block.isEmpty()
                    ? Uni.createFrom().item(done)
                    : reconciliation
                        .reconcile(block.get())
                        .onItem()
                        .transformToUni(result -> advance(result, latest, done)));
  }

  private Uni<Integer> advance(ReconcileResult result, OptionalLong latest, int done) {
    if (result.outcome() != ReconcileResult.Outcome.REFUSED) {
      next++;
      steppedBack = 0;
      return from(latest, done + 1);
    }
    Reason why = result.error().reason();
    if (why == Reason.UNKNOWN_PARENT && steppedBack < maxStepsBack && next > 0) {
      // The node switched branches below this height: take its blocks from one lower.
      next--;
      steppedBack++;
      return from(latest, done);
    }
    LOG.log(
        System.Logger.Level.WARNING,
        "chain " + chain + ": block " + next + " was refused: " + result.error().message());
    return Uni.createFrom().item(done);
  }
}
