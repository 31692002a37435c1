package io.preconf.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.Rejection;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class PreconfirmationCodecTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  // Written by hand from the spec's section 4, uppercase hex on input to check it is normalised.
  static final String SPEC_SHAPED =
      """
      {
        "id": "0x1111111111111111111111111111111111111111111111111111111111111111",
        "chainId": 167000,
        "txHash": "0xAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "sender": "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "nonce": 7,
        "sequence": 1042,
        "previous": "0x2222222222222222222222222222222222222222222222222222222222222222",
        "receivedAt": 1764000000123,
        "targetSlot": 882001,
        "proof": ["0x3333333333333333333333333333333333333333333333333333333333333333"],
        "commitment": {
          "root": "0x4444444444444444444444444444444444444444444444444444444444444444",
          "issuedAt": 1764000000125,
          "expiresAt": 1764003600125,
          "atomic": false,
          "signer": "0x5555555555555555555555555555555555555555",
          "signature": "0x0102",
          "pqSignature": null
        },
        "status": "PRECONFIRMED"
      }
      """;

  @Test
  void writesTheSpecFieldsInOrderWithLowercaseHexAndNumbers() throws Exception {
    Preconfirmation p = PreconfirmationCodec.fromJson(SPEC_SHAPED);

    JsonNode out = MAPPER.readTree(PreconfirmationCodec.toJson(p));

    assertThat(names(out))
        .containsExactly(
            "id",
            "chainId",
            "txHash",
            "sender",
            "nonce",
            "sequence",
            "previous",
            "receivedAt",
            "targetSlot",
            "proof",
            "commitment");
    assertThat(names(out.get("commitment")))
        .containsExactly(
            "root", "issuedAt", "expiresAt", "atomic", "signer", "signature", "pqSignature");
    assertThat(out.get("chainId").isNumber()).isTrue();
    assertThat(out.get("receivedAt").asLong()).isEqualTo(1764000000123L);
    assertThat(out.get("txHash").asText())
        .isEqualTo("0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    assertThat(out.get("sender").asText()).isEqualTo("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed");
    assertThat(out.get("commitment").get("pqSignature").isNull()).isTrue();
    assertThat(out.get("commitment").get("atomic").isBoolean()).isTrue();
  }

  @Test
  void readsBackWhatItWrote() {
    Preconfirmation p = PreconfirmationCodec.fromJson(SPEC_SHAPED);
    String withPq =
        PreconfirmationCodec.toJson(p)
            .replace("\"pqSignature\":null", "\"pqSignature\":\"0xabcd\"");

    Preconfirmation again = PreconfirmationCodec.fromJson(withPq);

    assertThat(again.leaf()).isEqualTo(p.leaf());
    assertThat(again.proof()).isEqualTo(p.proof());
    assertThat(again.commitment().pqSignature().toHex()).isEqualTo("0xabcd");
    assertThat(PreconfirmationCodec.fromJson(PreconfirmationCodec.toJson(p))).isEqualTo(p);
    for (Preconfirmation sample : WireSamples.batch(true)) {
      assertThat(PreconfirmationCodec.fromJson(PreconfirmationCodec.toJson(sample)))
          .isEqualTo(sample);
    }
  }

  @Test
  void aPreconfirmationStoredByItsCommitmentsRootComesBackWholeUnderThatCommitment() {
    for (Preconfirmation sample : WireSamples.batch(true)) {
      String byRoot = PreconfirmationCodec.toJsonByRoot(sample);
      String commitment = PreconfirmationCodec.commitmentToJson(sample.commitment());
      assertThat(byRoot)
          .doesNotContain(sample.commitment().pqSignature().toHex())
          .contains("\"commitment\":\"" + sample.commitment().root().toHex() + "\"");

      PreconfirmationCodec.ByRoot read = PreconfirmationCodec.readByRoot(byRoot);
      assertThat(read.root()).isEqualTo(sample.commitment().root());
      assertThat(read.commitment()).isNull();
      Preconfirmation whole = read.attach(PreconfirmationCodec.commitmentFromJson(commitment));
      assertThat(PreconfirmationCodec.toJson(whole)).isEqualTo(PreconfirmationCodec.toJson(sample));
    }
  }

  @Test
  void theWholeFormReadsByRootWithItsCommitment() {
    Preconfirmation p = PreconfirmationCodec.fromJson(SPEC_SHAPED);

    PreconfirmationCodec.ByRoot read =
        PreconfirmationCodec.readByRoot(PreconfirmationCodec.toJson(p));

    assertThat(read.commitment()).isEqualTo(p.commitment());
    assertThat(read.attach(read.commitment())).isEqualTo(p);
  }

  @Test
  void aCommitmentOfAnotherRootIsNotAttached() {
    List<Preconfirmation> two = WireSamples.batch(false);
    Preconfirmation p = PreconfirmationCodec.fromJson(SPEC_SHAPED);
    PreconfirmationCodec.ByRoot read =
        PreconfirmationCodec.readByRoot(PreconfirmationCodec.toJsonByRoot(p));

    assertThatThrownBy(() -> read.attach(two.get(0).commitment()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(p.commitment().root().toHex());
  }

  @Test
  void refusesAStoredFormWhoseRootIsNoHashNamingIt() {
    String byRoot =
        PreconfirmationCodec.toJsonByRoot(PreconfirmationCodec.fromJson(SPEC_SHAPED))
            .replace("\"commitment\":\"0x4444", "\"commitment\":\"0x44");
    refused(
        () -> PreconfirmationCodec.readByRoot(byRoot),
        Reason.WRONG_LENGTH,
        "commitment must be 32 bytes, got 31 bytes");
    refused(
        () -> PreconfirmationCodec.commitmentFromJson("{\"root\":1}"),
        Reason.MALFORMED_REQUEST,
        "\"root\" must be");
  }

  @Test
  void refusesAMissingFieldByName() {
    refused(
        () -> PreconfirmationCodec.fromJson(SPEC_SHAPED.replace("\"nonce\": 7,", "")),
        Reason.MISSING_FIELD,
        "field \"nonce\" is missing");
    refused(
        () -> PreconfirmationCodec.fromJson(SPEC_SHAPED.replace("\"atomic\": false,", "")),
        Reason.MISSING_FIELD,
        "field \"commitment.atomic\" is missing");
  }

  @Test
  void refusesANumberWrittenAsAStringNamingFieldAndValue() {
    refused(
        () ->
            PreconfirmationCodec.fromJson(
                SPEC_SHAPED.replace("\"sequence\": 1042", "\"sequence\": \"1042\"")),
        Reason.MALFORMED_REQUEST,
        "field \"sequence\" must be a whole JSON number, got \"1042\"");
    refused(
        () -> PreconfirmationCodec.fromJson(SPEC_SHAPED.replace("\"nonce\": 7", "\"nonce\": 7.5")),
        Reason.MALFORMED_REQUEST,
        "field \"nonce\" must be a whole JSON number, got 7.5");
  }

  @Test
  void refusesNumbersBeyondFiftyThreeBitsAndChainZero() {
    refused(
        () ->
            PreconfirmationCodec.fromJson(
                SPEC_SHAPED.replace("\"nonce\": 7", "\"nonce\": 9007199254740992")),
        Reason.OUT_OF_RANGE,
        "field \"nonce\" must be between 0 and 2^53-1, got 9007199254740992");
    refused(
        () ->
            PreconfirmationCodec.fromJson(
                SPEC_SHAPED.replace("\"chainId\": 167000", "\"chainId\": 0")),
        Reason.OUT_OF_RANGE,
        "chainId must be between 1 and 9007199254740991, got 0");
  }

  @Test
  void refusesBadHexWithTheReasonTheValueTypeGives() {
    refused(
        () ->
            PreconfirmationCodec.fromJson(
                SPEC_SHAPED.replace("\"root\": \"0x4444", "\"root\": \"0x44")),
        Reason.WRONG_LENGTH,
        "commitment.root must be 32 bytes, got 31 bytes");
    refused(
        () -> PreconfirmationCodec.fromJson(SPEC_SHAPED.replace("\"0x3333", "\"0xz333")),
        Reason.MALFORMED_HEX,
        "proof[0] has a non-hex character 'z'");
    refused(
        () -> PreconfirmationCodec.fromJson(SPEC_SHAPED.replace("\"0x0102\"", "\"0102\"")),
        Reason.MALFORMED_HEX,
        "commitment.signature must be 0x-prefixed hex, got \"0102\"");
  }

  @Test
  void refusesAProofLongerThanAnyTree() {
    String deep = withLongestProofPlusOne(SPEC_SHAPED, "0x" + "33".repeat(32));
    refused(() -> PreconfirmationCodec.fromJson(deep), Reason.WRONG_LENGTH, "proof has 65 hashes");
    // Before hashing any of it, or reading the leaf.
    String deepAndBad =
        withLongestProofPlusOne(SPEC_SHAPED.replace("\"nonce\": 7", "\"nonce\": -7"), "0xzz");
    refused(
        () -> PreconfirmationCodec.fromJson(deepAndBad),
        Reason.WRONG_LENGTH,
        "proof has 65 hashes");
  }

  private static String withLongestProofPlusOne(String preconfirmation, String hash) {
    List<String> proof = new ArrayList<>();
    for (int i = 0; i <= PreconfirmationCodec.MAX_PROOF_LENGTH; i++) {
      proof.add("\"" + hash + "\"");
    }
    return preconfirmation.replaceFirst(
        "\"proof\": \\[[^\\]]*\\]", "\"proof\": [" + String.join(",", proof) + "]");
  }

  /**
   * A body with several problems is refused for the same one as the TypeScript client's verifier
   * names: a mistyped field first, then a missing commitment or proof, then the leaf, the proof's
   * hashes, the commitment ({@code atomic} first), and the id last.
   */
  @Test
  void refusesABodyWithSeveralProblemsForTheOneTheClientNamesToo() {
    String noId =
        SPEC_SHAPED.replace(
            "\"id\": \"0x1111111111111111111111111111111111111111111111111111111111111111\",", "");
    String badTx = "\"txHash\": \"0xzz";
    refused(
        () -> PreconfirmationCodec.fromJson(noId.replace("\"txHash\": \"0xAA", badTx)),
        Reason.MALFORMED_HEX,
        "txHash");
    refused(
        () ->
            PreconfirmationCodec.fromJson(
                noId.replace("\"nonce\": 7", "\"nonce\": \"7\"")
                    .replace("\"commitment\": {", "\"c\": {")),
        Reason.MALFORMED_REQUEST,
        "field \"nonce\" must be a whole JSON number");
    refused(
        () ->
            PreconfirmationCodec.fromJson(
                SPEC_SHAPED
                    .replace("\"txHash\": \"0xAA", badTx)
                    .replace("\"commitment\": {", "\"c\": {")),
        Reason.MISSING_FIELD,
        "field \"commitment\" is missing");
    refused(
        () ->
            PreconfirmationCodec.fromJson(
                SPEC_SHAPED
                    .replace("\"atomic\": false,", "")
                    .replace("\"root\": \"0x4444", "\"root\": \"0x44")),
        Reason.MISSING_FIELD,
        "field \"commitment.atomic\" is missing");
  }

  @Test
  void refusesWhatIsNotAnObjectOrNotJson() {
    refused(() -> PreconfirmationCodec.fromJson("[1]"), Reason.MALFORMED_REQUEST, "got array");
    refused(
        () -> PreconfirmationCodec.fromJson("{\"id\":"),
        Reason.MALFORMED_REQUEST,
        "preconfirmation is not valid JSON");
  }

  private static void refused(ThrowingCallable read, Reason reason, String message) {
    assertThatThrownBy(read)
        .isInstanceOfSatisfying(
            WireFormatException.class,
            e -> {
              Rejection r = e.rejection();
              assertThat(r.code()).isEqualTo(ErrorCode.INVALID_PRECONFIRMATION);
              assertThat(r.reason()).isEqualTo(reason);
              assertThat(r.message()).contains(message);
            });
  }

  private static List<String> names(JsonNode node) {
    List<String> out = new ArrayList<>();
    node.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
