package io.preconf.core.crypto;

import static io.preconf.core.crypto.Vectors.bytes;
import static io.preconf.core.crypto.Vectors.hash;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.preconf.core.error.Result;
import io.preconf.core.tx.DecodedTransaction;
import io.preconf.core.tx.TransactionDecoder;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.Hash32;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * libsecp256k1 and Bouncy Castle must be interchangeable: the same signature bytes and the same
 * recovered addresses, on random keys and digests and on the ethers vectors. The native backend
 * must load here (Linux x86-64, where CI runs): a silent fallback would compare Bouncy Castle with
 * itself.
 */
class Secp256k1BackendsTest {
  static final Secp256k1Backend BC = Secp256k1Backend.bouncyCastle();
  static Secp256k1Backend lib;

  @BeforeAll
  static void loadNative() {
    lib = Secp256k1Backend.named("native");
    assertThat(lib.name()).as("libsecp256k1 loads on this machine").isEqualTo("native");
  }

  @Test
  void randomKeysAndDigestsSignByteForByteAlikeAndRecoverTheSigner() {
    Random random = new Random(20261124);
    for (int i = 0; i < 400; i++) {
      Bytes key = randomKey(random);
      EcdsaSigner onBc = EcdsaSigner.fromPrivateKey(key, BC);
      EcdsaSigner onLib = EcdsaSigner.fromPrivateKey(key, lib);
      assertThat(onLib.address()).isEqualTo(onBc.address());
      for (int j = 0; j < 5; j++) {
        Hash32 digest = Hash32.wrap(randomBytes(random, 32));
        Bytes signature = onBc.sign(digest);

        assertThat(onLib.sign(digest)).as("key %d digest %d", i, j).isEqualTo(signature);
        assertThat(EcdsaSignatures.recover(digest, signature, lib)).contains(onBc.address());
        assertThat(EcdsaSignatures.recover(digest, signature, BC)).contains(onBc.address());
      }
    }
  }

  @Test
  void digestsAtAndAboveTheCurveOrderSignAlike() {
    EcdsaSigner onBc = EcdsaSigner.fromPrivateKey(bytes32(BigInteger.TWO), BC);
    EcdsaSigner onLib = EcdsaSigner.fromPrivateKey(bytes32(BigInteger.TWO), lib);
    for (BigInteger e :
        List.of(
            BigInteger.ZERO,
            Secp256k1.N,
            Secp256k1.N.add(BigInteger.ONE),
            BigInteger.TWO.pow(256).subtract(BigInteger.ONE))) {
      Hash32 digest = Hash32.wrap(bytes32(e).toArray());
      assertThat(onLib.sign(digest)).isEqualTo(onBc.sign(digest));
    }
  }

  @Test
  void arbitraryRecoveryInputsGiveTheSameAnswerOnBothBackends() {
    Random random = new Random(7);
    int recovered = 0;
    for (int i = 0; i < 1_000; i++) {
      Hash32 digest = Hash32.wrap(randomBytes(random, 32));
      BigInteger r =
          new BigInteger(256, random).mod(Secp256k1.N.subtract(BigInteger.ONE)).add(BigInteger.ONE);
      BigInteger s = new BigInteger(255, random).mod(Secp256k1.HALF_N).add(BigInteger.ONE);
      int id = random.nextInt(2);

      Optional<Address> fromBc = BC.recoverAddress(digest, r, s, id);
      assertThat(lib.recoverAddress(digest, r, s, id)).as("case %d", i).isEqualTo(fromBc);
      recovered += fromBc.isPresent() ? 1 : 0;
    }
    // About half of all x are on the curve: both outcomes were exercised.
    assertThat(recovered).isBetween(300, 700);
  }

  @Test
  void recoveryIdsOutsideZeroAndOneRecoverNothing() {
    Hash32 digest = Hash32.wrap(new byte[32]);
    assertThat(lib.recoverAddress(digest, BigInteger.ONE, BigInteger.ONE, 2)).isEmpty();
    assertThat(BC.recoverAddress(digest, BigInteger.ONE, BigInteger.ONE, 2)).isEmpty();
  }

  static List<JsonNode> eip712() {
    return Vectors.list(Vectors.load("eip712.json").get("cases"));
  }

  @ParameterizedTest
  @MethodSource("eip712")
  void nativeSignatureEqualsEthersByteForByte(JsonNode c) {
    EcdsaSigner signer = EcdsaSigner.fromPrivateKey(bytes(c.get("privateKey")), lib);

    assertThat(signer.address()).isEqualTo(Address.fromHex(c.get("address").asText()));
    assertThat(signer.sign(hash(c.get("digest"))).toHex()).isEqualTo(c.get("signature").asText());
    assertThat(EcdsaSignatures.recover(hash(c.get("digest")), bytes(c.get("signature")), lib))
        .contains(Address.fromHex(c.get("address").asText()));
  }

  static List<JsonNode> transactions() {
    return Vectors.list(Vectors.load("transactions.json").get("vectors"));
  }

  @ParameterizedTest
  @MethodSource("transactions")
  void nativeRecoversTheSenderEthersGives(JsonNode v) {
    Bytes raw = bytes(v.get("raw"));
    Result<DecodedTransaction> onLib = TransactionDecoder.decode(raw, lib);
    Result<DecodedTransaction> onBc = TransactionDecoder.decode(raw, BC);

    assertThat(onLib.isOk()).isTrue();
    assertThat(onLib.value().sender()).isEqualTo(Address.fromHex(v.get("from").asText()));
    assertThat(onLib.value().sender()).isEqualTo(onBc.value().sender());
    assertThat(onLib.value().txHash()).isEqualTo(Hash32.fromHex(v.get("hash").asText()));
  }

  @Test
  void rejectedTransactionsAreRejectedAlike() {
    for (JsonNode c : Vectors.list(Vectors.load("transactions.json").get("rejections"))) {
      String raw = c.get("raw").asText();
      Result<DecodedTransaction> onLib = TransactionDecoder.decodeHex(raw, lib);
      Result<DecodedTransaction> onBc = TransactionDecoder.decodeHex(raw, BC);

      assertThat(onLib.isOk()).as(c.get("name").asText()).isFalse();
      assertThat(onLib.rejection()).isEqualTo(onBc.rejection());
    }
  }

  @Test
  void unknownBackendNameIsRefusedNamingTheChoices() {
    assertThatThrownBy(() -> Secp256k1Backend.named("openssl"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"native\" or \"bouncycastle\"")
        .hasMessageContaining("openssl");
  }

  private static Bytes randomKey(Random random) {
    BigInteger d;
    do {
      d = new BigInteger(256, random);
    } while (d.signum() == 0 || d.compareTo(Secp256k1.N) >= 0);
    return bytes32(d);
  }

  private static Bytes bytes32(BigInteger v) {
    return Bytes.wrap(org.bouncycastle.util.BigIntegers.asUnsignedByteArray(32, v));
  }

  private static byte[] randomBytes(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}
