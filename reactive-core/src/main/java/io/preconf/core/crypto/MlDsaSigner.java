package io.preconf.core.crypto;

import io.preconf.core.types.Bytes;
import io.preconf.core.types.Hash32;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.params.MLDSAParameters;
import org.bouncycastle.crypto.params.MLDSAPrivateKeyParameters;
import org.bouncycastle.crypto.signers.MLDSASigner;

/**
 * ML-DSA-65 (FIPS 204, pure, empty context) over the 32 raw bytes of a digest: the commitment's
 * {@code pqSignature} (spec section 3). Signing is the deterministic variant (rnd = 32 zero bytes,
 * FIPS 204 algorithm 2), so a signature equals @noble/post-quantum's {@code ml_dsa65.sign(msg,
 * secretKey, { extraEntropy: false })}: Bouncy Castle uses zero rnd when it is given no {@code
 * SecureRandom}. See <a href="https://doi.org/10.6028/NIST.FIPS.204">FIPS 204</a>.
 */
public final class MlDsaSigner implements DigestSigner {
  static final MLDSAParameters PARAMETERS = MLDSAParameters.ml_dsa_65;
  public static final int SEED_SIZE = 32;

  private final MLDSAPrivateKeyParameters privateKey;
  private final Bytes publicKey;

  private MlDsaSigner(MLDSAPrivateKeyParameters privateKey) {
    this.privateKey = privateKey;
    this.publicKey = Bytes.wrap(privateKey.getPublicKey());
  }

  /**
   * Expands the key pair from {@code seed32}, the ξ of FIPS 204 ML-DSA.KeyGen_internal.
   *
   * @throws IllegalArgumentException when the seed is not 32 bytes (the message never shows it)
   */
  public static MlDsaSigner fromSeed(Bytes seed32) {
    if (seed32.size() != SEED_SIZE) {
      throw new IllegalArgumentException(
          "an ML-DSA seed must be " + SEED_SIZE + " bytes, got " + seed32.size() + " bytes");
    }
    return new MlDsaSigner(new MLDSAPrivateKeyParameters(PARAMETERS, seed32.toArray()));
  }

  /** The 1952-byte encoded public key, as published in {@code info}'s {@code pqPublicKey}. */
  public Bytes publicKey() {
    return publicKey;
  }

  @Override
  public Bytes sign(Hash32 digest) {
    // A Bouncy Castle signer holds per-message state, so each call gets its own; setting one up
    // costs a few microseconds against a few hundred for the signature itself.
    MLDSASigner signer = new MLDSASigner();
    signer.init(true, privateKey);
    byte[] message = digest.toArray();
    signer.update(message, 0, message.length);
    try {
      return Bytes.wrap(signer.generateSignature());
    } catch (CryptoException e) {
      throw new IllegalStateException("ML-DSA-65 signing failed", e);
    }
  }

  @Override
  public String toString() {
    return "MlDsaSigner[ML-DSA-65 " + publicKey + "]";
  }
}
