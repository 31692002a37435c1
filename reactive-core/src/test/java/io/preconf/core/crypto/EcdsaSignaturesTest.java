package io.preconf.core.crypto;

import static io.preconf.core.crypto.Vectors.bytes;
import static io.preconf.core.crypto.Vectors.hash;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.Hash32;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.util.BigIntegers;
import org.junit.jupiter.api.Test;

class EcdsaSignaturesTest {
  private static final JsonNode CASE =
      Vectors.list(Vectors.load("eip712.json").get("cases")).get(4);
  private static final Hash32 DIGEST = hash(CASE.get("digest"));
  private static final Bytes SIGNATURE = bytes(CASE.get("signature"));
  private static final Address SIGNER = Address.fromHex(CASE.get("address").asText());

  @Test
  void recoversTheSignerOfAGoodSignature() {
    assertThat(EcdsaSignatures.recover(DIGEST, SIGNATURE)).contains(SIGNER);
  }

  @Test
  void rejectsASignatureOfTheWrongLength() {
    byte[] sig = SIGNATURE.toArray();

    assertThat(EcdsaSignatures.recover(DIGEST, Bytes.wrap(Arrays.copyOf(sig, 64)))).isEmpty();
    assertThat(EcdsaSignatures.recover(DIGEST, Bytes.wrap(Arrays.copyOf(sig, 66)))).isEmpty();
    assertThat(EcdsaSignatures.recover(DIGEST, Bytes.EMPTY)).isEmpty();
  }

  @Test
  void rejectsRecoveryIdsOtherThan27And28() {
    for (int v : new int[] {0, 1, 26, 29, 37, 38, 255}) {
      byte[] sig = SIGNATURE.toArray();
      sig[64] = (byte) v;
      assertThat(EcdsaSignatures.recover(DIGEST, Bytes.wrap(sig))).as("v = %d", v).isEmpty();
    }
  }

  @Test
  void rejectsTheHighSTwinOfAValidSignature() {
    byte[] sig = SIGNATURE.toArray();
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(sig, 0, 32));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(sig, 32, 64));
    BigInteger highS = Secp256k1.N.subtract(s);
    int flippedId = (sig[64] - 27) ^ 1;

    // The twin is a mathematically valid signature by the same key; only EIP-2 rules it out.
    assertThat(Secp256k1.recoverAddress(DIGEST, r, highS, flippedId)).contains(SIGNER);

    BigIntegers.asUnsignedByteArray(highS, sig, 32, 32);
    sig[64] = (byte) (27 + flippedId);
    assertThat(EcdsaSignatures.recover(DIGEST, Bytes.wrap(sig))).isEmpty();
  }

  @Test
  void rejectsZeroAndOutOfRangeRAndS() {
    byte[] zeroR = SIGNATURE.toArray();
    Arrays.fill(zeroR, 0, 32, (byte) 0);
    byte[] zeroS = SIGNATURE.toArray();
    Arrays.fill(zeroS, 32, 64, (byte) 0);
    byte[] rAtN = SIGNATURE.toArray();
    BigIntegers.asUnsignedByteArray(Secp256k1.N, rAtN, 0, 32);

    assertThat(EcdsaSignatures.recover(DIGEST, Bytes.wrap(zeroR))).isEmpty();
    assertThat(EcdsaSignatures.recover(DIGEST, Bytes.wrap(zeroS))).isEmpty();
    assertThat(EcdsaSignatures.recover(DIGEST, Bytes.wrap(rAtN))).isEmpty();
  }

  @Test
  void aSignatureOverAnotherDigestDoesNotRecoverTheSigner() {
    byte[] other = DIGEST.toArray();
    other[0] ^= 1;

    assertThat(EcdsaSignatures.recover(Hash32.wrap(other), SIGNATURE))
        .isNotEqualTo(Optional.of(SIGNER));
  }
}
