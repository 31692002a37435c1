package io.preconf.core.node;

import io.preconf.core.types.Hash32;
import java.util.Objects;

/**
 * What a rollup node did with a transaction handed to it by {@link RollupNode#sendRawTransaction}.
 */
public sealed interface SendOutcome {

  /** The hash of the transaction sent (keccak-256 of its signed bytes). */
  Hash32 txHash();

  /** The node took it into its pool. */
  record Accepted(Hash32 txHash) implements SendOutcome {}

  /** The node already holds this very transaction in its pool. */
  record AlreadyKnown(Hash32 txHash) implements SendOutcome {}

  /**
   * This very transaction is already in the node's chain: the node refused it as a nonce too low,
   * and its receipt says where it landed.
   */
  record AlreadyMined(Receipt receipt) implements SendOutcome {
    public AlreadyMined {
      Objects.requireNonNull(receipt, "receipt");
    }

    @Override
    public Hash32 txHash() {
      return receipt.txHash();
    }
  }

  /**
   * The node refused it; sending the same bytes again will not change that.
   *
   * @param message the node's own words
   */
  record Refused(Hash32 txHash, Refusal refusal, String message) implements SendOutcome {
    public Refused {
      Objects.requireNonNull(refusal, "refusal");
      Objects.requireNonNull(message, "message");
    }
  }

  /**
   * No answer from the node within the deadline, or no node at all. The node may have taken the
   * transaction before going quiet; sending it again tells.
   *
   * @param message names the node and what went wrong
   */
  record Unreachable(Hash32 txHash, String message) implements SendOutcome {}

  /** Why a node refused a transaction. */
  enum Refusal {
    /** The sender's nonce is past this one, and not by this transaction: another one took it. */
    NONCE_TOO_LOW,
    /** The pool holds another transaction at this nonce, and this one does not outbid it. */
    NONCE_TAKEN,
    /** The fee is below the block's base fee or the pool's minimum. */
    FEE_TOO_LOW,
    /** The sender cannot pay for gas times price plus value. */
    INSUFFICIENT_FUNDS,
    /** Anything else (wrong chain, bad signature, undecodable, gas limits): see the message. */
    OTHER
  }
}
