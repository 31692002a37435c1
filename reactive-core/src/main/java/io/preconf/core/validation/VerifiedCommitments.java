package io.preconf.core.validation;

import io.preconf.core.commit.Commitment;
import io.preconf.core.types.Hash32;

/**
 * Commitments whose signatures already verified, by root, so that checking many leaves of one
 * commitment costs one signature check and not even the EIP-712 digest again. A commitment counts
 * as verified only when it equals the remembered one in every field (root, times, atomic flag,
 * signer and both signatures), so one that differs in any byte misses and is checked from scratch.
 * One commitment per root: a root is the hash of a round's leaves, each with a sequence of its own,
 * so two verified commitments over one root are the same round signed twice, and the later one
 * takes the place. Bounded with {@link TwoGenerations}.
 */
final class VerifiedCommitments {
  private final TwoGenerations<Hash32, Commitment> byRoot;

  VerifiedCommitments(int capacity) {
    this.byRoot = new TwoGenerations<>(capacity);
  }

  /** True when exactly this commitment, every field equal, verified before. */
  boolean contains(Commitment c) {
    return c.equals(byRoot(c.root()));
  }

  /** The commitment over {@code root} that verified before, or null. */
  Commitment byRoot(Hash32 root) {
    return byRoot.get(root);
  }

  void remember(Commitment c) {
    byRoot.put(c.root(), c);
  }
}
