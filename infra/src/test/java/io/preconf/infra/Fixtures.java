package io.preconf.infra;

import io.preconf.core.types.ChainId;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Chains and key prefixes nobody else uses, so tests can share one Redis and one PostgreSQL. Random
 * hashes, claims and preconfirmations come from the core's {@code Samples}.
 */
public final class Fixtures {
  // Chain ids unique across runs too (PostgreSQL keeps rows): time in ms, times 1000, plus a
  // counter; well under 2^53.
  private static final AtomicLong CHAINS = new AtomicLong(System.currentTimeMillis() * 1000);

  private Fixtures() {}

  public static ChainId uniqueChain() {
    return ChainId.of(CHAINS.incrementAndGet());
  }

  public static String uniquePrefix() {
    return "test:" + UUID.randomUUID() + ":";
  }
}
