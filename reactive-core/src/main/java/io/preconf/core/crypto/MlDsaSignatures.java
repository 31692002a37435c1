package io.preconf.core.crypto;

import io.preconf.core.types.Bytes;
import io.preconf.core.types.Hash32;

/** The checking side of {@link MlDsaSigner}: ML-DSA-65, pure, empty context, over 32 bytes. */
public final class MlDsaSignatures {
  public static final int PUBLIC_KEY_SIZE = MlDsa65.PUBLIC_KEY_SIZE;
  public static final int SIGNATURE_SIZE = MlDsa65.SIGNATURE_SIZE;

  private MlDsaSignatures() {}

  /**
   * False for a wrong signature, and for a key or signature of the wrong size. Expands the key on
   * every call: a key checked more than once is cheaper through its {@link MlDsaVerifier}.
   */
  public static boolean verify(Bytes publicKey, Hash32 digest, Bytes signature) {
    return MlDsaVerifier.of(publicKey).verify(digest, signature);
  }
}
