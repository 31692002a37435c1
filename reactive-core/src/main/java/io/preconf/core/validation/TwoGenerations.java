package io.preconf.core.validation;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A map bounded with two generations: when the young one fills, it becomes the old one and the old
 * one is dropped; a hit in the old one is promoted. Lock-free reads, O(1) eviction, and an entry
 * used recently survives at least one turnover.
 */
final class TwoGenerations<K, V> {
  private final int generationSize;
  private volatile Map<K, V> young = new ConcurrentHashMap<>();
  private volatile Map<K, V> old = new ConcurrentHashMap<>();

  /** Holds at least {@code capacity / 2} and at most {@code capacity} entries (at least one). */
  TwoGenerations(int capacity) {
    this.generationSize = Math.max(1, capacity / 2);
  }

  /** The value of {@code key}, or null. */
  V get(K key) {
    V v = young.get(key);
    if (v == null) {
      v = old.get(key);
      if (v != null) {
        put(key, v);
      }
    }
    return v;
  }

  void put(K key, V value) {
    Map<K, V> y = young;
    y.put(key, value);
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
