package io.preconf.core.validation;

import io.preconf.core.commit.Commitment;
import io.preconf.core.types.Hash32;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Commitments whose signatures already verified, by root, so that checking many leaves of one
 * commitment costs one signature check and not even the EIP-712 digest again. A commitment counts
 * as verified only when it equals the remembered one in every field (root, times, atomic flag,
 * signer and both signatures), so one that differs in any byte misses and is checked from scratch.
 * One commitment per root: a root is the hash of a round's leaves, each with a sequence of its own,
 * so two verified commitments over one root are the same round signed twice, and the later one
 * takes the place.
 *
 * <p>Bounded with two generations: when the young one fills, it becomes the old one and the old one
 * is dropped; a hit in the old one is promoted. Lock-free reads, O(1) eviction, and an entry used
 * recently survives at least one turnover.
 */
final class VerifiedCommitments {
  private final int generationSize;
  private volatile Map<Hash32, Commitment> young = new ConcurrentHashMap<>();
  private volatile Map<Hash32, Commitment> old = new ConcurrentHashMap<>();

  VerifiedCommitments(int capacity) {
    this.generationSize = Math.max(1, capacity / 2);
  }

  /** True when exactly this commitment, every field equal, verified before. */
  boolean contains(Commitment c) {
    return c.equals(byRoot(c.root()));
  }

  /** The commitment over {@code root} that verified before, or null. */
  Commitment byRoot(Hash32 root) {
    Commitment c = young.get(root);
    if (c == null) {
      c = old.get(root);
      if (c != null) {
        remember(c);
      }
    }
    return c;
  }

  void remember(Commitment c) {
    Map<Hash32, Commitment> y = young;
    y.put(c.root(), c);
    if (y.size() > generationSize) {
      synchronized (this) {
        if (young == y) {
          old = y;
          young = new ConcurrentHashMap<>();
        }
      }
    }
  }
}
