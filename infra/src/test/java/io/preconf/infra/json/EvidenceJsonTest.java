package io.preconf.infra.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.preconf.core.commit.Finality;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.finality.Block;
import io.preconf.core.finality.Evidence;
import io.preconf.core.finality.Inclusion;
import io.preconf.core.finality.SlotClock;
import io.preconf.core.finality.ViolationKind;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.preconf.core.types.MalformedValueException;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvidenceJsonTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ChainId CHAIN = ChainId.of(167000);

  private static Hash32 h(int b) {
    return Hash32.fromHex("0x" + String.format("%02x", b).repeat(32));
  }

  private static Preconfirmation promise(int tx, long sequence) {
    return PreconfirmationJson.fromJson(
        """
        {"id":"%s","chainId":167000,"txHash":"%s","sender":"0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",
         "nonce":7,"sequence":%d,"previous":"%s","receivedAt":1764000000123,"targetSlot":882001,
         "proof":[],"commitment":{"root":"%s","issuedAt":1764000000125,"expiresAt":1764003600125,
         "atomic":false,"signer":"0x5555555555555555555555555555555555555555","signature":"0x0102",
         "pqSignature":null}}
        """
            .formatted(h(tx + 1), h(tx), sequence, Hash32.ZERO, h(tx + 1)));
  }

  private static Evidence evidence() {
    Block b = new Block(CHAIN, 1204, h(0x40), h(0x3f), 882001, List.of(h(0x20), h(0x10)));
    return new Evidence(
        ViolationKind.ORDER_REVERSED,
        "sequence 41 after sequence 42",
        new SlotClock(CHAIN, 1_735_689_600_000L, 2_000),
        List.of(promise(0x10, 41), promise(0x20, 42)),
        List.of(b),
        List.of(
            new Inclusion(h(0x10), new Finality(1204, h(0x40), 1)),
            new Inclusion(h(0x20), new Finality(1204, h(0x40), 0))),
        1_764_000_001_000L);
  }

  @Test
  void readsBackWhatItWrote() {
    Evidence e = evidence();
    assertThat(EvidenceJson.fromJson(EvidenceJson.toJson(e))).isEqualTo(e);
  }

  @Test
  void carriesThePreconfirmationsInTheirWireFormVerbatim() throws Exception {
    Evidence e = evidence();
    JsonNode out = MAPPER.readTree(EvidenceJson.toJson(e));

    assertThat(out.get("version").asInt()).isEqualTo(1);
    assertThat(out.get("kind").asText()).isEqualTo("ORDER_REVERSED");
    assertThat(out.get("preconfirmations").get(0).toString())
        .isEqualTo(PreconfirmationJson.toJson(e.preconfirmations().get(0)));
    assertThat(out.get("blocks").get(0).get("transactions").get(1).asText())
        .isEqualTo(h(0x10).toHex());
    assertThat(out.get("inclusions").get(1).get("index").asInt()).isZero();
  }

  @Test
  void refusesAnUnknownVersionOrKindNamingIt() {
    String json = EvidenceJson.toJson(evidence());
    assertThatThrownBy(() -> EvidenceJson.fromJson(json.replace("\"version\":1", "\"version\":2")))
        .isInstanceOf(MalformedValueException.class)
        .hasMessageContaining("version 2");
    assertThatThrownBy(
            () -> EvidenceJson.fromJson(json.replace("ORDER_REVERSED", "SOMETHING_ELSE")))
        .hasMessageContaining("SOMETHING_ELSE");
  }
}
