package io.preconf.core.commit;

import static io.preconf.core.crypto.Vectors.hash;
import static io.preconf.core.crypto.Vectors.uint64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.preconf.core.crypto.Vectors;
import io.preconf.core.types.Address;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LeafTest {

  static Stream<JsonNode> vectorLeaves() {
    return Vectors.list(Vectors.load("merkle.json").get("trees")).stream()
        .flatMap(tree -> Vectors.list(tree.get("leaves")).stream());
  }

  static Leaf leafOf(JsonNode v) {
    return new Leaf(
        ChainId.of(Long.parseLong(v.get("chainId").asText())),
        hash(v.get("txHash")),
        Address.fromHex(v.get("sender").asText()),
        uint64(v.get("nonce")),
        uint64(v.get("sequence")),
        hash(v.get("previous")),
        uint64(v.get("receivedAt")),
        uint64(v.get("targetSlot")));
  }

  @ParameterizedTest
  @MethodSource("vectorLeaves")
  void hashEqualsOpenZeppelinStandardLeafHash(JsonNode vector) {
    assertThat(leafOf(vector).hash()).isEqualTo(hash(vector.get("leafHash")));
  }

  @Test
  void encodesUint64FieldsAboveLongMaxAsUnsigned() {
    List<JsonNode> unsignedOnly =
        vectorLeaves()
            .filter(
                v ->
                    Stream.of("nonce", "sequence", "receivedAt", "targetSlot")
                        .anyMatch(f -> uint64(v.get(f)) < 0))
            .toList();

    assertThat(unsignedOnly).as("vectors with a uint64 >= 2^63").hasSizeGreaterThan(5);
    assertThat(unsignedOnly)
        .allSatisfy(v -> assertThat(leafOf(v).hash()).isEqualTo(hash(v.get("leafHash"))));
  }

  @Test
  void abiEncodingIsEightLeftPaddedWords() {
    Leaf leaf =
        new Leaf(
            ChainId.of(0x0102),
            Hash32.fromHex("0x" + "11".repeat(32)),
            Address.fromHex("0x" + "22".repeat(20)),
            -1L,
            3,
            Hash32.ZERO,
            0x0a0b,
            Long.MIN_VALUE);

    String expected =
        "0x"
            + "0".repeat(60)
            + "0102"
            + "11".repeat(32)
            + "00".repeat(12)
            + "22".repeat(20)
            + "00".repeat(24)
            + "ff".repeat(8)
            + "0".repeat(62)
            + "03"
            + "00".repeat(32)
            + "0".repeat(60)
            + "0a0b"
            + "00".repeat(24)
            + "80"
            + "00".repeat(7);
    assertThat(LeafEncoding.abiEncode(leaf).toHex()).isEqualTo(expected);
  }

  @Test
  void rejectsMissingFields() {
    assertThatThrownBy(
            () ->
                new Leaf(
                    ChainId.of(1),
                    null,
                    Address.fromHex("0x" + "22".repeat(20)),
                    0,
                    1,
                    Hash32.ZERO,
                    0,
                    0))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("txHash");
  }
}
