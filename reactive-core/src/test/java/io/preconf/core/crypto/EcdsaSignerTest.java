package io.preconf.core.crypto;

import static io.preconf.core.crypto.Vectors.bytes;
import static io.preconf.core.crypto.Vectors.hash;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.Hash32;
import java.math.BigInteger;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bouncycastle.util.BigIntegers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EcdsaSignerTest {

  static List<JsonNode> cases() {
    return Vectors.list(Vectors.load("eip712.json").get("cases"));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void addressEqualsEthersWalletAddress(JsonNode c) {
    assertThat(EcdsaSigner.fromPrivateKey(bytes(c.get("privateKey"))).address())
        .isEqualTo(Address.fromHex(c.get("address").asText()));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void signatureEqualsEthersSigningKeyByteForByte(JsonNode c) {
    EcdsaSigner signer = EcdsaSigner.fromPrivateKey(bytes(c.get("privateKey")));

    assertThat(signer.sign(hash(c.get("digest"))).toHex()).isEqualTo(c.get("signature").asText());
  }

  @ParameterizedTest
  @MethodSource("cases")
  void ethersSignatureRecoversToEthersAddress(JsonNode c) {
    assertThat(EcdsaSignatures.recover(hash(c.get("digest")), bytes(c.get("signature"))))
        .contains(Address.fromHex(c.get("address").asText()));
  }

  @Test
  void vectorsCoverBothRecoveryIds() {
    assertThat(cases()).extracting(c -> c.get("v").asInt()).contains(27, 28);
  }

  @Test
  void signsTheSameBytesFromSeveralThreads() throws Exception {
    JsonNode c = cases().get(3);
    EcdsaSigner signer = EcdsaSigner.fromPrivateKey(bytes(c.get("privateKey")));
    Hash32 digest = hash(c.get("digest"));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Bytes>> results =
          pool.invokeAll(Collections.nCopies(16, () -> signer.sign(digest)));
      for (Future<Bytes> r : results) {
        assertThat(r.get().toHex()).isEqualTo(c.get("signature").asText());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void rejectsAZeroKeyWithoutPrintingIt() {
    assertThatThrownBy(() -> EcdsaSigner.fromPrivateKey(Bytes.wrap(new byte[32])))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("zero")
        .hasMessageNotContaining("0x");
  }

  @Test
  void rejectsAKeyAtTheCurveOrderWithoutPrintingIt() {
    Bytes n = Bytes.wrap(BigIntegers.asUnsignedByteArray(32, Secp256k1.N));

    assertThatThrownBy(() -> EcdsaSigner.fromPrivateKey(n))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("curve order")
        .hasMessageNotContaining(n.toHex().substring(2, 18))
        .hasMessageNotContaining(Secp256k1.N.toString());
  }

  @Test
  void rejectsAKeyAboveTheCurveOrderWithoutPrintingIt() {
    Bytes allOnes = Bytes.fromHex("key", "0x" + "ff".repeat(32));

    assertThatThrownBy(() -> EcdsaSigner.fromPrivateKey(allOnes))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("curve order")
        .hasMessageNotContaining("ffff")
        .hasMessageNotContaining("FFFF");
  }

  @Test
  void rejectsAKeyOfTheWrongLengthWithoutPrintingIt() {
    Bytes key31 = Bytes.fromHex("key", "0x" + "5a".repeat(31));

    assertThatThrownBy(() -> EcdsaSigner.fromPrivateKey(key31))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32 bytes, got 31")
        .hasMessageNotContaining("5a5a");
  }

  @Test
  void toStringShowsTheAddressButNotTheKey() {
    JsonNode c = cases().get(3);
    String key = c.get("privateKey").asText().substring(2);
    EcdsaSigner signer = EcdsaSigner.fromPrivateKey(bytes(c.get("privateKey")));

    assertThat(signer.toString())
        .contains(c.get("address").asText())
        .doesNotContain(key)
        .doesNotContain(key.substring(0, 16))
        .doesNotContain(new BigInteger(key, 16).toString());
  }
}
