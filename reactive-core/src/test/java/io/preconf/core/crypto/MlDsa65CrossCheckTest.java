package io.preconf.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.types.Hex;
import java.util.SplittableRandom;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.params.MLDSAParameters;
import org.bouncycastle.crypto.params.MLDSAPrivateKeyParameters;
import org.bouncycastle.crypto.params.MLDSAPublicKeyParameters;
import org.bouncycastle.crypto.signers.MLDSASigner;
import org.junit.jupiter.api.Test;

/**
 * {@link MlDsa65}, which keeps each key's expanded form, against Bouncy Castle's ML-DSA-65, which
 * expands it per call: the same deterministic signature bytes and the same verdict on good,
 * tampered, misdirected and garbage signatures, over random keys and messages from fixed seeds.
 */
class MlDsa65CrossCheckTest {
  private static final MLDSAParameters PARAMETERS = MLDSAParameters.ml_dsa_65;

  @Test
  void signsTheSameBytesAsBouncyCastleAndBothAcceptThem() throws CryptoException {
    SplittableRandom random = new SplittableRandom(0x4d4c4453_6b6579L);
    for (int key = 0; key < 100; key++) {
      MLDSAPrivateKeyParameters bc = new MLDSAPrivateKeyParameters(PARAMETERS, bytes(random, 32));
      MlDsa65.SigningKey ours = signingKey(bc);
      MlDsa65.VerifyingKey verifier = new MlDsa65.VerifyingKey(bc.getPublicKey());
      for (int m = 0; m < 20; m++) {
        byte[] message = bytes(random, m < 15 ? 32 : random.nextInt(200));
        String why = "seed " + Hex.encode(bc.getSeed()) + ", message " + Hex.encode(message);

        byte[] signature = ours.sign(message);

        assertThat(Hex.encode(signature)).as(why).isEqualTo(Hex.encode(bcSign(bc, message)));
        assertThat(verifier.verify(message, signature)).as(why).isTrue();
        assertThat(bcVerify(bc.getPublicKeyParameters(), message, signature)).as(why).isTrue();
      }
    }
  }

  @Test
  void refusesWhatBouncyCastleRefuses() throws CryptoException {
    SplittableRandom random = new SplittableRandom(0x4d4c4453_6e6f74L);
    MLDSAPrivateKeyParameters other = new MLDSAPrivateKeyParameters(PARAMETERS, bytes(random, 32));
    for (int key = 0; key < 40; key++) {
      MLDSAPrivateKeyParameters bc = new MLDSAPrivateKeyParameters(PARAMETERS, bytes(random, 32));
      MlDsa65.VerifyingKey verifier = new MlDsa65.VerifyingKey(bc.getPublicKey());
      MlDsa65.VerifyingKey otherVerifier = new MlDsa65.VerifyingKey(other.getPublicKey());
      for (int m = 0; m < 25; m++) {
        byte[] message = bytes(random, 32);
        byte[] signature = bcSign(bc, message);
        byte[] tampered = signature.clone();
        int at = random.nextInt(signature.length);
        tampered[at] ^= (byte) (1 << random.nextInt(8));
        byte[] otherMessage = message.clone();
        otherMessage[random.nextInt(32)] ^= 1;
        byte[] garbage = bytes(random, signature.length);
        String why = "seed " + Hex.encode(bc.getSeed()) + ", byte " + at + " flipped";

        assertThat(verifier.verify(message, tampered))
            .as(why)
            .isEqualTo(bcVerify(bc.getPublicKeyParameters(), message, tampered))
            .isFalse();
        assertThat(verifier.verify(otherMessage, signature)).as(why).isFalse();
        assertThat(otherVerifier.verify(message, signature)).as(why).isFalse();
        assertThat(verifier.verify(message, garbage))
            .as(why)
            .isEqualTo(bcVerify(bc.getPublicKeyParameters(), message, garbage));
      }
    }
  }

  @Test
  void refusesSignaturesOfTheWrongSizeAndUnorderedHints() throws CryptoException {
    MLDSAPrivateKeyParameters bc = new MLDSAPrivateKeyParameters(PARAMETERS, new byte[32]);
    MlDsa65.VerifyingKey verifier = new MlDsa65.VerifyingKey(bc.getPublicKey());
    byte[] message = new byte[32];
    byte[] signature = bcSign(bc, message);
    int hints = MlDsa65.SIGNATURE_SIZE - 61;
    byte[] swapped = signature.clone();
    swapped[hints] = signature[hints + 1];
    swapped[hints + 1] = signature[hints];

    assertThat(verifier.verify(message, java.util.Arrays.copyOf(signature, 3308))).isFalse();
    assertThat(verifier.verify(message, java.util.Arrays.copyOf(signature, 3310))).isFalse();
    assertThat(signature[hints + 55])
        .as("the first row has at least two hints")
        .isGreaterThan((byte) 1);
    assertThat(verifier.verify(message, swapped)).isFalse();
    assertThat(bcVerify(bc.getPublicKeyParameters(), message, swapped)).isFalse();
  }

  private static MlDsa65.SigningKey signingKey(MLDSAPrivateKeyParameters bc) {
    return new MlDsa65.SigningKey(
        bc.getRho(), bc.getK(), bc.getTr(), bc.getS1(), bc.getS2(), bc.getT0());
  }

  private static byte[] bcSign(MLDSAPrivateKeyParameters key, byte[] message)
      throws CryptoException {
    MLDSASigner signer = new MLDSASigner();
    signer.init(true, key);
    signer.update(message, 0, message.length);
    return signer.generateSignature();
  }

  private static boolean bcVerify(MLDSAPublicKeyParameters key, byte[] message, byte[] signature) {
    MLDSASigner verifier = new MLDSASigner();
    verifier.init(false, key);
    verifier.update(message, 0, message.length);
    return verifier.verifySignature(signature);
  }

  private static byte[] bytes(SplittableRandom random, int size) {
    byte[] out = new byte[size];
    random.nextBytes(out);
    return out;
  }
}
