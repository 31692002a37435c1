package io.preconf.core.validation;

import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.Hash32;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Commitments whose signatures already verified, so that checking many leaves of one commitment
 * costs one signature check. Bounded with two generations: when the young one fills, it becomes the
 * old one and the old one is dropped; a hit in the old one is promoted. Lock-free reads, O(1)
 * eviction, and an entry used recently survives at least one turnover.
 */
final class VerifiedCommitments {
  private final int generationSize;
  private volatile Map<Key, Address> young = new ConcurrentHashMap<>();
  private volatile Map<Key, Address> old = new ConcurrentHashMap<>();

  VerifiedCommitments(int capacity) {
    this.generationSize = Math.max(1, capacity / 2);
  }

  /** The signer whose signatures over {@code digest} verified, or null. */
  Address lookup(Hash32 digest, Bytes signature, Bytes pqSignature) {
    Key key = new Key(digest, signature, pqSignature);
    Address hit = young.get(key);
    if (hit == null) {
      hit = old.get(key);
      if (hit != null) {
        remember(key, hit);
      }
    }
    return hit;
  }

  void remember(Hash32 digest, Bytes signature, Bytes pqSignature, Address signer) {
    remember(new Key(digest, signature, pqSignature), signer);
  }

  private void remember(Key key, Address signer) {
    Map<Key, Address> y = young;
    y.put(key, signer);
    if (y.size() > generationSize) {
      synchronized (this) {
        if (young == y) {
          old = y;
          young = new ConcurrentHashMap<>();
        }
      }
    }
  }

  /** The post-quantum signature is part of the key: a commitment is cached as it was verified. */
  private record Key(Hash32 digest, Bytes signature, Bytes pqSignature) {
    @Override
    public int hashCode() {
      return Objects.hash(digest, signature.hashCode());
    }
  }
}
