package io.preconf.infra;

import java.util.UUID;

/**
 * Key prefixes nobody else uses, so tests can share one Redis. Chains, random hashes, claims and
 * preconfirmations come from the core's {@code Samples}.
 */
public final class Fixtures {
  private Fixtures() {}

  public static String uniquePrefix() {
    return "test:" + UUID.randomUUID() + ":";
  }
}
