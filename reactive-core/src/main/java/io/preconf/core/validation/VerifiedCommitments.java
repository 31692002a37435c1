package io.preconf.core.validation;

import io.preconf.core.commit.Commitment;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Commitments whose signatures already verified, so that checking many leaves of one commitment
 * costs one signature check and not even the EIP-712 digest again. A commitment is remembered whole
 * (root, times, atomic flag, signer and both signatures), so one that differs in any byte from the
 * verified one misses and is checked from scratch. Bounded with two generations: when the young one
 * fills, it becomes the old one and the old one is dropped; a hit in the old one is promoted.
 * Lock-free reads, O(1) eviction, and an entry used recently survives at least one turnover.
 */
final class VerifiedCommitments {
  private final int generationSize;
  private volatile Map<Key, Boolean> young = new ConcurrentHashMap<>();
  private volatile Map<Key, Boolean> old = new ConcurrentHashMap<>();

  VerifiedCommitments(int capacity) {
    this.generationSize = Math.max(1, capacity / 2);
  }

  /** True when exactly this commitment, every field equal, verified before. */
  boolean contains(Commitment c) {
    Key key = new Key(c);
    if (young.containsKey(key)) {
      return true;
    }
    if (old.containsKey(key)) {
      remember(key);
      return true;
    }
    return false;
  }

  void remember(Commitment c) {
    remember(new Key(c));
  }

  private void remember(Key key) {
    Map<Key, Boolean> y = young;
    y.put(key, Boolean.TRUE);
    if (y.size() > generationSize) {
      synchronized (this) {
        if (young == y) {
          old = y;
          young = new ConcurrentHashMap<>();
        }
      }
    }
  }

  /**
   * Equal when the commitments are equal in every field; hashed on the root and the ECDSA signature
   * only, which already tell commitments apart, rather than on the 3,309-byte ML-DSA signature.
   */
  private record Key(Commitment commitment) {
    @Override
    public int hashCode() {
      return 31 * commitment.root().hashCode() + commitment.signature().hashCode();
    }
  }
}
