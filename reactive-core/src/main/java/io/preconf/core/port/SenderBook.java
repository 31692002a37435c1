package io.preconf.core.port;

import io.preconf.core.error.Reason;
import io.preconf.core.error.Rejection;
import io.preconf.core.types.Hash32;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One sender's promises on one rollup that its node has not yet included, and the rules a new leg
 * of that sender must pass against them and the node ({@link LaneClaim.StateCheck}). Pure; every
 * {@link LaneSequencer} applies these rules in the same atomic step as the lane claim (the Redis
 * one in its claim script, word for word), so that two requests can never spend one nonce or one
 * balance twice. In order, a leg is refused when:
 *
 * <ol>
 *   <li>NONCE_TOO_LOW: its nonce is below the sender's nonce on the node (the node has a
 *       transaction at that nonce already);
 *   <li>NONCE_CONFLICT: an open promise holds its nonce;
 *   <li>NONCE_GAP: its nonce is above the next nonce, the lowest one at or above the node's that no
 *       open promise holds (no block could include it before the ones in between);
 *   <li>BASE_FEE_TOO_LOW: its max fee per gas is below the base fee the node's chain may reach by
 *       its target slot;
 *   <li>INSUFFICIENT_BALANCE: its cost plus the cost of every open promise is above the sender's
 *       balance on the node.
 * </ol>
 *
 * <p>A promise is open while its nonce is at or above the node's nonce (once the node's nonce
 * passes it, the node has included it or another transaction at its nonce, and the balance shows
 * what was spent) and its hold has not lapsed (a promise that expired unused, or a position voided
 * by abandon or a stale release, holds nothing). Legs of one request count the legs before them.
 */
public final class SenderBook {
  /**
   * How many nonces below the node's a sequencer keeps the promises of, while their hold lasts: a
   * node reading a little behind another (each engine process reads on its own) or a shallow reorg
   * that moves the node's nonce back finds them still there and counts them again. Older ones may
   * be dropped.
   */
  public static final int PASSED_KEPT = 64;

  private final LaneClaim.StateCheck node;
  private final TreeMap<Long, Held> open = new TreeMap<>();
  private BigInteger openCost = BigInteger.ZERO;

  /**
   * A promise holding its nonce and cost.
   *
   * @param sequence its lane position; 0 for a leg of the request being judged
   * @param untilMs when the hold lapses (unix ms)
   */
  public record Held(long nonce, Hash32 txHash, long sequence, BigInteger costWei, long untilMs) {
    public Held {
      Objects.requireNonNull(txHash, "txHash");
      Objects.requireNonNull(costWei, "costWei");
    }

    /**
     * Whether the promise still holds its nonce and cost, by the node's nonce, at {@code nowMs}.
     */
    public boolean isOpen(long nodeNonce, long nowMs) {
      return nonce >= nodeNonce && untilMs >= nowMs;
    }

    /** Whether a sequencer may drop the promise: its hold lapsed, or it is long passed. */
    public boolean isSpent(long nodeNonce, long nowMs) {
      return untilMs < nowMs || nonce < nodeNonce - PASSED_KEPT;
    }
  }

  private SenderBook(LaneClaim.StateCheck node) {
    this.node = node;
  }

  /** The book of a sender as {@code node} sees it, from its stored promises (open or not). */
  public static SenderBook of(LaneClaim.StateCheck node, Collection<Held> stored, long nowMs) {
    SenderBook book = new SenderBook(Objects.requireNonNull(node, "node"));
    for (Held h : stored) {
      if (h.isOpen(node.nodeNonce(), nowMs)) {
        book.hold(h);
      }
    }
    return book;
  }

  /**
   * Counts a leg accepted earlier in the same request as an open promise; a promise already held by
   * the same transaction is counted once.
   */
  public void hold(Held h) {
    if (holdsItself(h.nonce(), h.txHash())) {
      return;
    }
    open.put(h.nonce(), h);
    openCost = openCost.add(h.costWei());
  }

  /**
   * Whether transaction {@code txHash} itself holds {@code nonce} already: its position's claim
   * lapsed before its reservation did, and it is submitted again. It passed these rules when it was
   * promised; the store answers with that promise.
   */
  public boolean holdsItself(long nonce, Hash32 txHash) {
    Held holder = open.get(nonce);
    return holder != null && holder.txHash().equals(txHash);
  }

  /** The nonce the sender's next promise must carry. */
  public long nextNonce() {
    long next = node.nodeNonce();
    while (open.containsKey(next)) {
      next++;
    }
    return next;
  }

  /** Why {@code c} may not be promised, by the rules above; empty when it may. */
  public Optional<Rejection> judge(LaneClaim c) {
    LaneClaim.StateCheck leg = Objects.requireNonNull(c.state(), "state");
    if (holdsItself(c.nonce(), c.txHash())) {
      return Optional.empty();
    }
    String whose = whose(c);
    if (c.nonce() < node.nodeNonce()) {
      return refuse(
          Reason.NONCE_TOO_LOW,
          whose + " is below its nonce " + node.nodeNonce() + " on the rollup's node");
    }
    Held holder = open.get(c.nonce());
    if (holder != null) {
      return Optional.of(nonceConflict(c, holder.txHash(), holder.sequence()));
    }
    long next = nextNonce();
    if (c.nonce() > next) {
      return refuse(
          Reason.NONCE_GAP,
          whose
              + " leaves a gap: its next nonce is "
              + next
              + " ("
              + node.nodeNonce()
              + " on the rollup's node, then "
              + (next - node.nodeNonce())
              + " promised and not yet included)");
    }
    if (leg.maxFeeWei().compareTo(leg.baseFeeWei()) < 0) {
      return refuse(
          Reason.BASE_FEE_TOO_LOW,
          "tx "
              + c.txHash().toHex()
              + " on chain "
              + c.chainId()
              + " pays at most "
              + leg.maxFeeWei()
              + " wei per gas, below the base fee of "
              + leg.baseFeeWei()
              + " wei the rollup's node may reach by slot "
              + c.targetSlot());
    }
    BigInteger needed = openCost.add(leg.costWei());
    if (needed.compareTo(node.balanceWei()) > 0) {
      return refuse(
          Reason.INSUFFICIENT_BALANCE,
          "sender "
              + c.sender().toHex()
              + " on chain "
              + c.chainId()
              + " needs up to "
              + needed
              + " wei ("
              + leg.costWei()
              + " for tx "
              + c.txHash().toHex()
              + ", "
              + openCost
              + " for "
              + open.size()
              + " promised and not yet included), above its balance of "
              + node.balanceWei()
              + " wei on the rollup's node");
    }
    return Optional.empty();
  }

  /**
   * NONCE_CONFLICT: the leg's (chain, sender, nonce) is held by another promised transaction, in
   * the words every sequencer uses, whether its nonce claim or its sender's book tells.
   */
  public static Rejection nonceConflict(LaneClaim c, Hash32 holder, long sequence) {
    return Rejection.invalidTransaction(
        Reason.NONCE_CONFLICT,
        whose(c) + " is already preconfirmed by tx " + holder.toHex() + " at sequence " + sequence);
  }

  private static String whose(LaneClaim c) {
    return "sender " + c.sender().toHex() + " nonce " + c.nonce() + " on chain " + c.chainId();
  }

  private static Optional<Rejection> refuse(Reason reason, String message) {
    return Optional.of(Rejection.invalidTransaction(reason, message));
  }
}
