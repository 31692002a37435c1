package io.preconf.core.crypto;

import io.preconf.core.types.Bytes;
import io.preconf.core.types.Hash32;
import org.bouncycastle.crypto.params.MLDSAParameters;
import org.bouncycastle.crypto.params.MLDSAPrivateKeyParameters;

/**
 * ML-DSA-65 (FIPS 204, pure, empty context) over the 32 raw bytes of a digest: the commitment's
 * {@code pqSignature} (spec section 3). Signing is the deterministic variant (rnd = 32 zero bytes,
 * FIPS 204 algorithm 2), so a signature equals @noble/post-quantum's {@code ml_dsa65.sign(msg,
 * secretKey, { extraEntropy: false })} and Bouncy Castle's signature without a {@code
 * SecureRandom}. Bouncy Castle generates the key; {@link MlDsa65} signs with the key's expanded
 * form, computed once here. See <a href="https://doi.org/10.6028/NIST.FIPS.204">FIPS 204</a>.
 */
public final class MlDsaSigner implements DigestSigner {
  static final MLDSAParameters PARAMETERS = MLDSAParameters.ml_dsa_65;
  public static final int SEED_SIZE = 32;

  private final MlDsa65.SigningKey key;
  private final Bytes publicKey;

  private MlDsaSigner(MLDSAPrivateKeyParameters privateKey) {
    this.key =
        new MlDsa65.SigningKey(
            privateKey.getRho(),
            privateKey.getK(),
            privateKey.getTr(),
            privateKey.getS1(),
            privateKey.getS2(),
            privateKey.getT0());
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
    return Bytes.wrap(key.sign(digest.toArray()));
  }

  @Override
  public String toString() {
    return "MlDsaSigner[ML-DSA-65 " + publicKey + "]";
  }
}
