package io.preconf.core.crypto;

import static io.preconf.core.crypto.Vectors.bytes;
import static io.preconf.core.crypto.Vectors.hash;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.Hash32;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MlDsaSignerTest {

  static List<JsonNode> cases() {
    return Vectors.list(Vectors.load("mldsa.json").get("cases"));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void publicKeyEqualsNobleKeygenFromTheSameSeed(JsonNode c) {
    assertThat(MlDsaSigner.fromSeed(bytes(c.get("seed"))).publicKey().toHex())
        .isEqualTo(c.get("publicKey").asText());
  }

  @ParameterizedTest
  @MethodSource("cases")
  void signatureEqualsNobleDeterministicSignature(JsonNode c) {
    MlDsaSigner signer = MlDsaSigner.fromSeed(bytes(c.get("seed")));

    Bytes ours = signer.sign(hash(c.get("message")));

    assertThat(ours.size()).isEqualTo(MlDsaSignatures.SIGNATURE_SIZE);
    assertThat(ours.toHex()).isEqualTo(c.get("signature").asText());
  }

  @ParameterizedTest
  @MethodSource("cases")
  void verifierAcceptsNobleSignature(JsonNode c) {
    assertThat(
            MlDsaSignatures.verify(
                bytes(c.get("publicKey")), hash(c.get("message")), bytes(c.get("signature"))))
        .isTrue();
  }

  @Test
  void verifierRejectsASignatureWithOneFlippedBit() {
    JsonNode c = cases().get(1);
    byte[] sig = bytes(c.get("signature")).toArray();
    sig[100] ^= 1;

    assertThat(
            MlDsaSignatures.verify(
                bytes(c.get("publicKey")), hash(c.get("message")), Bytes.wrap(sig)))
        .isFalse();
  }

  @Test
  void verifierRejectsAnotherMessage() {
    JsonNode c = cases().get(1);
    byte[] message = hash(c.get("message")).toArray();
    message[31] ^= 1;

    assertThat(
            MlDsaSignatures.verify(
                bytes(c.get("publicKey")), Hash32.wrap(message), bytes(c.get("signature"))))
        .isFalse();
  }

  @Test
  void verifierRejectsAnotherKeysSignature() {
    JsonNode a = cases().get(1);
    JsonNode b = cases().get(2);

    assertThat(
            MlDsaSignatures.verify(
                bytes(b.get("publicKey")), hash(a.get("message")), bytes(a.get("signature"))))
        .isFalse();
  }

  @Test
  void verifierAnswersFalseForWrongSizes() {
    JsonNode c = cases().get(0);
    Bytes pk = bytes(c.get("publicKey"));
    Bytes sig = bytes(c.get("signature"));
    Hash32 msg = hash(c.get("message"));

    assertThat(MlDsaSignatures.verify(pk, msg, Bytes.EMPTY)).isFalse();
    assertThat(
            MlDsaSignatures.verify(
                pk, msg, Bytes.wrap(java.util.Arrays.copyOf(sig.toArray(), 3308))))
        .isFalse();
    assertThat(
            MlDsaSignatures.verify(
                pk, msg, Bytes.wrap(java.util.Arrays.copyOf(sig.toArray(), 3310))))
        .isFalse();
    assertThat(MlDsaSignatures.verify(Bytes.wrap(new byte[32]), msg, sig)).isFalse();
  }

  @Test
  void signsTheSameBytesFromSeveralThreads() throws Exception {
    JsonNode c = cases().get(2);
    MlDsaSigner signer = MlDsaSigner.fromSeed(bytes(c.get("seed")));
    Hash32 message = hash(c.get("message"));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Bytes>> results =
          pool.invokeAll(Collections.nCopies(8, () -> signer.sign(message)));
      for (Future<Bytes> r : results) {
        assertThat(r.get().toHex()).isEqualTo(c.get("signature").asText());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void rejectsASeedOfTheWrongLengthWithoutPrintingIt() {
    assertThatThrownBy(() -> MlDsaSigner.fromSeed(Bytes.fromHex("seed", "0x" + "5a".repeat(31))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32 bytes, got 31")
        .hasMessageNotContaining("5a5a");
  }

  @Test
  void toStringDoesNotShowTheSeed() {
    JsonNode c = cases().get(1);
    String seed = c.get("seed").asText().substring(2);

    assertThat(MlDsaSigner.fromSeed(bytes(c.get("seed"))).toString())
        .contains("ML-DSA-65")
        .doesNotContain(seed.substring(0, 16));
  }
}
