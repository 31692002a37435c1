package io.preconf.infra.redis;

import io.preconf.core.types.Address;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;

/**
 * Key names, all under one configurable prefix.
 *
 * <p>Everything the Lua scripts touch carries the same hash tag, {@code {lanes}}, so that in a
 * Redis Cluster all of it lives in one slot. That is a choice, not an accident: a cross-rollup
 * atomic request must check and move several lanes in one script, and a script may only touch keys
 * of one slot. Tagging per chain would shard the lanes but make atomic bundles impossible; and
 * since every claim is one serialised script anyway, lanes gain little from sharding. The
 * preconfirmation cache is tagged too: the feed publish fills it in the same script, and its
 * entries name feed entries.
 */
public final class RedisKeys {
  private final String prefix;
  private final String lanes;

  public RedisKeys(String prefix) {
    this.prefix = prefix;
    this.lanes = prefix + "{lanes}:";
  }

  public String prefix() {
    return prefix;
  }

  /** Hash {seq, tx, at}: the lane head. */
  public String lane(ChainId chain) {
    return lanes + "lane:" + chain.value();
  }

  /**
   * Hash {seq, sender, nonce, slot, gas, at, holder}: the position a transaction holds, and the id
   * of the process that claimed it ({@link LaneHolders}).
   */
  public String tx(ChainId chain, Hash32 txHash) {
    return lanes + "tx:" + chain.value() + ":" + txHash.toHex();
  }

  /** String "txHash:seq": the transaction holding (chain, sender, nonce). */
  public String nonce(ChainId chain, Address sender, long nonce) {
    return lanes + "nonce:" + chain.value() + ":" + sender.toHex() + ":" + nonce;
  }

  /**
   * Hash nonce -> "txHash seq cost until": the nonces and costs a sender's promises reserve on a
   * rollup whose senders are checked on its node.
   */
  public String held(ChainId chain, Address sender) {
    return lanes + "held:" + chain.value() + ":" + sender.toHex();
  }

  /**
   * Integer: the uses {@code subject} made of the limit {@code name} in its current window,
   * expiring with it. Touched by one script, alone, so it carries no tag and spreads over a
   * cluster.
   */
  public String limit(String name, String subject) {
    return prefix + "limit:" + name + ":" + subject;
  }

  /** Hash {n, gas}: what a target slot has promised. */
  public String slot(ChainId chain, long slot) {
    return lanes + "slot:" + chain.value() + ":" + slot;
  }

  /** Hash seq -> txHash: void positions. */
  public String voids(ChainId chain) {
    return lanes + "void:" + chain.value();
  }

  /** Hash seq -> txHash: positions assigned but not yet in the feed log. */
  public String open(ChainId chain) {
    return lanes + "open:" + chain.value();
  }

  /** String, expiring: the process with this id still lives (see {@link LaneHolders}). */
  public String live(String processId) {
    return lanes + "live:" + processId;
  }

  /** Stream: the lane's feed log, entry ID "sequence-0". */
  public String feed(ChainId chain) {
    return lanes + "feed:" + chain.value();
  }

  /**
   * Hash seq -> JSON, commitment named by its root: recorded preconfirmations waiting for an
   * earlier sequence.
   */
  public String feedPending(ChainId chain) {
    return lanes + "feedq:" + chain.value();
  }

  /**
   * Hash seq -> signed transaction (its bytes; 0x hex from an older engine): what waits in {@link
   * #feedPending} with each JSON.
   */
  public String feedPendingTx(ChainId chain) {
    return lanes + "feedqtx:" + chain.value();
  }

  /**
   * Hash seq -> commitment root: what waited in {@link #feedPending} with each JSON when an older
   * engine wrote it; entries written now name their root in their JSON alone.
   */
  public String feedPendingRoot(ChainId chain) {
    return lanes + "feedqcm:" + chain.value();
  }

  /** String: the last sequence in the feed log. */
  public String feedHead(ChainId chain) {
    return lanes + "feedhead:" + chain.value();
  }

  /** String: since when (unix ms) the feed log has been waiting for its next sequence. */
  public String feedStall(ChainId chain) {
    return lanes + "feedstall:" + chain.value();
  }

  /**
   * Stream: a chain's status changes, entry IDs assigned by Redis. Not touched by the lane scripts,
   * so it carries no hash tag.
   */
  public String statusFeed(ChainId chain) {
    return prefix + "status:" + chain.value();
  }

  /**
   * String: a commitment's bytes ({@link CommitmentBytes}), once for all the preconfirmations under
   * it (see {@link RedisCommitments}). Tagged, since the feed log's script writes it with the
   * entries that name it.
   */
  public String commitment(Hash32 root) {
    return lanes + "cm:" + root.toHex();
  }

  /**
   * String: an issued preconfirmation, as "@seq", naming its entry in the lane's feed log, or as
   * its JSON with its commitment named by its root (see {@link RedisPreconfirmationCache}). Tagged,
   * since the feed log's script writes it with the entry it names.
   */
  public String cached(ChainId chain, Hash32 txHash) {
    return lanes + "pc:" + chain.value() + ":" + txHash.toHex();
  }

  /** String: the holder of the lane's delivery lease, expiring with the lease. */
  public String deliveryLease(ChainId chain) {
    return prefix + "delivery:" + chain.value();
  }
}
