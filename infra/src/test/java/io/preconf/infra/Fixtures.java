package io.preconf.infra;

import io.preconf.core.crypto.EcdsaSigner;
import io.preconf.core.crypto.MlDsaSigner;
import io.preconf.core.engine.Signers;
import io.preconf.core.types.Bytes;
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
}
