package io.preconf.infra.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.types.MalformedValueException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PreconfirmationJsonTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  // Written by hand from the spec's section 4, uppercase hex on input to check it is normalised.
  private static final String SPEC_SHAPED =
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
    Preconfirmation p = PreconfirmationJson.fromJson(SPEC_SHAPED);

    JsonNode out = MAPPER.readTree(PreconfirmationJson.toJson(p));

    assertThat(iterable(out.fieldNames()))
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
    assertThat(iterable(out.get("commitment").fieldNames()))
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
    Preconfirmation p = PreconfirmationJson.fromJson(SPEC_SHAPED);
    String withPq =
        PreconfirmationJson.toJson(p).replace("\"pqSignature\":null", "\"pqSignature\":\"0xabcd\"");

    Preconfirmation again = PreconfirmationJson.fromJson(withPq);

    assertThat(again.leaf()).isEqualTo(p.leaf());
    assertThat(again.proof()).isEqualTo(p.proof());
    assertThat(again.commitment().pqSignature().toHex()).isEqualTo("0xabcd");
    assertThat(PreconfirmationJson.fromJson(PreconfirmationJson.toJson(p))).isEqualTo(p);
  }

  @Test
  void rejectsAMissingFieldByName() {
    String noNonce = SPEC_SHAPED.replace("\"nonce\": 7,", "");

    assertThatThrownBy(() -> PreconfirmationJson.fromJson(noNonce))
        .isInstanceOf(MalformedValueException.class)
        .hasMessage("nonce is missing");
  }

  @Test
  void rejectsANumberWrittenAsAString() {
    String quoted = SPEC_SHAPED.replace("\"sequence\": 1042", "\"sequence\": \"1042\"");

    assertThatThrownBy(() -> PreconfirmationJson.fromJson(quoted))
        .isInstanceOf(MalformedValueException.class)
        .hasMessageContaining("sequence must be a non-negative whole number");
  }

  @Test
  void rejectsABadHashNamingTheField() {
    String shortRoot = SPEC_SHAPED.replace("\"root\": \"0x4444", "\"root\": \"0x44");

    assertThatThrownBy(() -> PreconfirmationJson.fromJson(shortRoot))
        .isInstanceOf(MalformedValueException.class)
        .hasMessageStartingWith("commitment.root must be 32 bytes");
  }

  private static List<String> iterable(java.util.Iterator<String> it) {
    List<String> out = new java.util.ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }
}
