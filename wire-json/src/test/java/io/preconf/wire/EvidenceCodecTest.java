package io.preconf.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.preconf.core.error.Reason;
import io.preconf.core.finality.Evidence;
import org.junit.jupiter.api.Test;

class EvidenceCodecTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void readsBackWhatItWroteForEachKind() {
    for (Evidence e : WireSamples.evidence()) {
      assertThat(EvidenceCodec.fromJson(EvidenceCodec.toJson(e))).isEqualTo(e);
    }
  }

  @Test
  void carriesThePreconfirmationsInTheirWireFormVerbatim() throws Exception {
    Evidence e = WireSamples.evidence().get(1);
    JsonNode out = MAPPER.readTree(EvidenceCodec.toJson(e));

    assertThat(out.get("preconfirmations").get(0).toString())
        .isEqualTo(PreconfirmationCodec.toJson(e.preconfirmations().get(0)));
    assertThat(out.get("inclusions").get(1).get("index").asInt()).isZero();
  }

  @Test
  void refusesAnUnknownVersionOrKindNamingIt() {
    String json = EvidenceCodec.toJson(WireSamples.evidence().get(1));
    assertThatThrownBy(() -> EvidenceCodec.fromJson(json.replace("\"version\":1", "\"version\":2")))
        .isInstanceOfSatisfying(
            WireFormatException.class,
            e -> {
              assertThat(e.rejection().reason()).isEqualTo(Reason.OUT_OF_RANGE);
              assertThat(e.getMessage()).contains("version 2");
            });
    assertThatThrownBy(
            () -> EvidenceCodec.fromJson(json.replace("ORDER_REVERSED", "SOMETHING_ELSE")))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("\"kind\"")
        .hasMessageContaining("SOMETHING_ELSE");
  }

  @Test
  void namesAMalformedFieldByItsPathInsideAList() {
    String json = EvidenceCodec.toJson(WireSamples.evidence().get(1));
    assertThatThrownBy(() -> EvidenceCodec.fromJson(json.replace("\"index\":0", "\"index\":\"0\"")))
        .isInstanceOfSatisfying(
            WireFormatException.class,
            e -> {
              assertThat(e.rejection().reason()).isEqualTo(Reason.MALFORMED_REQUEST);
              assertThat(e.getMessage())
                  .isEqualTo(
                      "field \"inclusions[1].index\" must be a whole JSON number, got \"0\"");
            });
  }
}
