package io.preconf.core.crypto;

import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.Hash32;
import java.math.BigInteger;
import java.util.Optional;

/**
 * Who does the secp256k1 arithmetic: signing (RFC 6979, low s, recovery id from R) and public key
 * recovery, as Besu's {@code SignatureAlgorithm} puts it behind one interface. Implementations give
 * byte-identical results; they differ only in speed. The engine takes one through its constructor,
 * so the choice is made once, where the process is configured.
 *
 * @see BouncyCastleSecp256k1 the pure-Java default
 * @see LibSecp256k1 libsecp256k1 through JNI, about three times faster
 */
public interface Secp256k1Backend {

  /** {@code bouncycastle} or {@code native}, as {@link #named} takes it. */
  String name();

  /**
   * Takes a private key already checked to be 32 bytes in {@code 1..n-1}; the key stays inside the
   * returned object.
   */
  SigningKey signingKey(Bytes privateKey32);

  /**
   * The address of the key that signed {@code digest}, or empty when no key fits. The caller has
   * checked the ranges ({@link Secp256k1#isCanonical}); {@code recoveryId} is 0 or 1.
   */
  Optional<Address> recoverAddress(Hash32 digest, BigInteger r, BigInteger s, int recoveryId);

  /** A private key in a backend's own form. Safe to use from several threads. */
  interface SigningKey {
    Address address();

    /** 65 bytes {@code r ++ s ++ v}, {@code v} in {27, 28}, {@code s <= n/2}. */
    Bytes sign(Hash32 digest);
  }

  static Secp256k1Backend bouncyCastle() {
    return BouncyCastleSecp256k1.INSTANCE;
  }

  /**
   * The backend called {@code name}. {@code native} falls back to Bouncy Castle, with a warning,
   * where libsecp256k1 cannot be loaded (another OS or CPU, no writable temporary folder), so a
   * configuration that asks for speed never stops a process from starting.
   *
   * @throws IllegalArgumentException for any other name
   */
  static Secp256k1Backend named(String name) {
    return switch (name) {
      case "bouncycastle" -> bouncyCastle();
      case "native" -> LibSecp256k1.loadOrFallBack();
      default ->
          throw new IllegalArgumentException(
              "secp256k1 backend must be \"native\" or \"bouncycastle\", got \"" + name + "\"");
    };
  }
}
