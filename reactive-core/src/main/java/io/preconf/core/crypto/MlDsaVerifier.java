package io.preconf.core.crypto;

import io.preconf.core.types.Bytes;
import io.preconf.core.types.Hash32;

/**
 * Checks ML-DSA-65 signatures (pure, empty context, over 32 bytes) by one public key, whose
 * expanded form (the matrix Â, NTT(t1·2^d), tr) is computed once here rather than on every check:
 * for a key checked more than once, such as a trusted preconfer's. Safe to share between threads.
 */
public final class MlDsaVerifier {
  /** Null for a key of the wrong size, which verifies nothing. */
  private final MlDsa65.VerifyingKey key;

  private MlDsaVerifier(MlDsa65.VerifyingKey key) {
    this.key = key;
  }

  /** A verifier for {@code publicKey}; one of the wrong size answers false to every signature. */
  public static MlDsaVerifier of(Bytes publicKey) {
    return new MlDsaVerifier(
        publicKey.size() == MlDsa65.PUBLIC_KEY_SIZE
            ? new MlDsa65.VerifyingKey(publicKey.toArray())
            : null);
  }

  /** False for a wrong signature and for a signature of the wrong size. */
  public boolean verify(Hash32 digest, Bytes signature) {
    return key != null && key.verify(digest.toArray(), signature.toArray());
  }
}
