package io.preconf.core.crypto;

import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.Hash32;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Optional;

/**
 * The checking side of {@link EcdsaSigner}: who signed a digest, for 65-byte {@code r ++ s ++ v}
 * signatures held to the same rules the signer keeps (EIP-2 low s, {@code v} in {27, 28}).
 */
public final class EcdsaSignatures {
  private EcdsaSignatures() {}

  /**
   * The signer's address, or empty when the signature is not 65 bytes, {@code v} is not 27 or 28,
   * {@code r} or {@code s} is out of range, {@code s} is in the upper half, or no key fits.
   */
  public static Optional<Address> recover(Hash32 digest, Bytes signature65) {
    return recover(digest, signature65, Secp256k1Backend.bouncyCastle());
  }

  /** As {@link #recover(Hash32, Bytes)}, with the curve work done by {@code backend}. */
  public static Optional<Address> recover(
      Hash32 digest, Bytes signature65, Secp256k1Backend backend) {
    if (signature65.size() != EcdsaSigner.SIGNATURE_SIZE) {
      return Optional.empty();
    }
    int v = signature65.get(64) & 0xff;
    if (v != 27 && v != 28) {
      return Optional.empty();
    }
    return recover(digest, signature65, v - 27, backend);
  }

  /**
   * The signer's address from the {@code r} and {@code s} of a 65-byte signature whose last byte
   * the caller has read as {@code recoveryId} (protocols write {@code v} in several ways); empty
   * when {@code r} or {@code s} is out of range, {@code s} is in the upper half, or no key fits.
   */
  public static Optional<Address> recover(
      Hash32 digest, Bytes signature65, int recoveryId, Secp256k1Backend backend) {
    byte[] sig = signature65.unsafeArray();
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(sig, 0, 32));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(sig, 32, 64));
    if (!Secp256k1.isCanonical(r, s)) {
      return Optional.empty();
    }
    return backend.recoverAddress(digest, r, s, recoveryId);
  }
}
