package io.preconf.core.crypto;

import io.preconf.core.types.Bytes;
import io.preconf.core.types.Hash32;
import org.bouncycastle.crypto.params.MLDSAPublicKeyParameters;
import org.bouncycastle.crypto.signers.MLDSASigner;

/** The checking side of {@link MlDsaSigner}: ML-DSA-65, pure, empty context, over 32 bytes. */
public final class MlDsaSignatures {
  public static final int PUBLIC_KEY_SIZE = 1952;
  public static final int SIGNATURE_SIZE = 3309;

  private MlDsaSignatures() {}

  /** False for a wrong signature, and for a key or signature of the wrong size. */
  public static boolean verify(Bytes publicKey, Hash32 digest, Bytes signature) {
    if (publicKey.size() != PUBLIC_KEY_SIZE || signature.size() != SIGNATURE_SIZE) {
      return false;
    }
    MLDSASigner verifier = new MLDSASigner();
    verifier.init(false, new MLDSAPublicKeyParameters(MlDsaSigner.PARAMETERS, publicKey.toArray()));
    byte[] message = digest.toArray();
    verifier.update(message, 0, message.length);
    return verifier.verifySignature(signature.toArray());
  }
}
