package io.preconf.infra;

import io.preconf.core.crypto.EcdsaSigner;
import io.preconf.core.crypto.MlDsaSigner;
import io.preconf.core.engine.Signers;
import io.preconf.core.types.Bytes;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Key prefixes nobody else uses, so tests can share one Redis. Chains, random hashes, claims and
 * preconfirmations come from the core's {@code Samples}.
 */
public final class Fixtures {
  private Fixtures() {}

  public static String uniquePrefix() {
    return "test:" + UUID.randomUUID() + ":";
  }

  /** A 32-byte test key (or seed) of its own for each {@code fill}; never fund it. */
  public static Bytes key(int fill) {
    byte[] k = new byte[32];
    k[0] = 0x11;
    k[31] = (byte) fill;
    return Bytes.wrap(k);
  }

  /** The preconfer the engines of these tests sign as. */
  public static Signers preconfer() {
    return Signers.signing(EcdsaSigner.fromPrivateKey(key(0x42)), MlDsaSigner.fromSeed(key(0x43)));
  }

  /**
   * What {@code read} returns once it satisfies {@code done}, read again every 20 ms for up to
   * {@link Adapters#AWAIT}; the last reading when it never does, for the caller's assertion to
   * show.
   */
  public static <T> T eventually(Supplier<T> read, Predicate<T> done) {
    long until = System.nanoTime() + Adapters.AWAIT.toNanos();
    T now = read.get();
    while (!done.test(now) && System.nanoTime() < until) {
      try {
        Thread.sleep(Duration.ofMillis(20).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return now;
      }
      now = read.get();
    }
    return now;
  }
}
