package io.preconf.feed.request;

import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.error.Reason;
import io.preconf.core.error.Result;
import io.preconf.core.types.Address;
import io.preconf.core.types.ChainId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Plain unit tests: no Quarkus, no servers. */
class SubscriptionRequestTest {
  private static final List<ChainId> SERVED = List.of(ChainId.of(167000), ChainId.of(167001));

  private static Result<Subscription> parse(String query) {
    return SubscriptionRequest.parse(QueryParams.parse(query), SERVED);
  }

  @Test
  void noParametersMeansEveryServedChainLiveForEverySender() {
    Subscription s = parse(null).value();
    assertThat(s.chains()).isEqualTo(SERVED);
    assertThat(s.senders()).isEmpty();
    assertThat(s.from()).isEmpty();
  }

  @Test
  void chainIdsMayBeCommaSeparatedRepeatedOrEncodedAndAreTakenOnce() {
    assertThat(parse("chainId=167001,167000&chainId=167001").value().chains())
        .containsExactly(ChainId.of(167001), ChainId.of(167000));
    assertThat(parse("chainId=167000%2C167001").value().chains()).isEqualTo(SERVED);
  }

  @Test
  void senderIsAcceptedInAnyCaseAndComparedAsAnAddress() {
    String lower = "0x52908400098527886e0f7030069857d2e4169ee7";
    Subscription s = parse("sender=0x52908400098527886E0F7030069857D2E4169EE7").value();
    assertThat(s.wants(Address.fromHex(lower))).isTrue();
    assertThat(s.wants(Address.fromHex("0x" + "11".repeat(20)))).isFalse();
  }

  @Test
  void fromNeedsExactlyOneChainAndASequenceOfOneOrMore() {
    assertThat(parse("chainId=167000&from=1042").value().from()).hasValue(1042);
    assertThat(parse("from=7").rejection().reason()).isEqualTo(Reason.MALFORMED_REQUEST);
    assertThat(parse("chainId=167000,167001&from=7").rejection().message())
        .contains("from=7")
        .contains("got 2");
    assertThat(parse("chainId=167000&from=0").rejection().reason()).isEqualTo(Reason.OUT_OF_RANGE);
    assertThat(parse("chainId=167000&from=-3").rejection().message()).contains("-3");
    assertThat(parse("chainId=167000&from=1&from=2").rejection().message()).contains("once");
    assertThat(parse("chainId=167000&from=99999999999999999999").rejection().message())
        .contains("99999999999999999999");
  }

  @Test
  void rejectionsNameTheBadValue() {
    assertThat(parse("chainId=12a").rejection().message()).contains("\"12a\"");
    assertThat(parse("chainId=").rejection().message()).contains("\"\"");
    assertThat(parse("chainId=42").rejection().reason()).isEqualTo(Reason.UNSUPPORTED_CHAIN);
    assertThat(parse("chainId=42").rejection().message()).contains("42").contains("167000");
    assertThat(parse("sender=0xzz").rejection().reason()).isEqualTo(Reason.MALFORMED_HEX);
  }

  @Test
  void closeReasonsAreCutToTheProtocolLimit() {
    String longest = "x".repeat(500);
    assertThat(CloseReasons.fit(longest)).hasSize(CloseReasons.MAX_BYTES).endsWith("...");
    assertThat(CloseReasons.fit("short")).isEqualTo("short");
    assertThat(CloseReasons.fit("é".repeat(100)).getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .hasSizeLessThanOrEqualTo(CloseReasons.MAX_BYTES);
  }
}
