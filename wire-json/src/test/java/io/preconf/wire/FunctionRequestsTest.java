package io.preconf.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.preconf.core.engine.PreconfirmRequest;
import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.Rejection;
import io.preconf.core.error.Result;
import io.preconf.core.status.StatusRequest;
import io.preconf.core.types.Hash32;
import io.preconf.core.wire.WireBlock;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class FunctionRequestsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String HASH = "\"0x" + "ab".repeat(32) + "\"";

  private static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  private static Rejection refusal(Function<JsonNode, ?> read, String body) {
    try {
      read.apply(json(body));
    } catch (WireFormatException e) {
      return e.rejection();
    }
    throw new AssertionError("read " + body + " without a refusal");
  }

  @Test
  void preconfirmKeepsANonStringTransactionForTheEngineToRefuseByIndex() {
    PreconfirmRequest r =
        FunctionRequests.preconfirm(json("{\"transactions\":[\"0x02\",7,null],\"targetSlot\":9}"));

    assertThat(r.transactions()).containsExactly("0x02", "7", null);
    assertThat(r.atomic()).isFalse();
    assertThat(r.targetSlot()).isEqualTo(9L);
  }

  @Test
  void preconfirmRefusesAMalformedBodyNamingFieldAndValue() {
    Rejection none = refusal(FunctionRequests::preconfirm, "{}");
    assertThat(none.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
    assertThat(none.reason()).isEqualTo(Reason.MISSING_FIELD);

    Rejection notList = refusal(FunctionRequests::preconfirm, "{\"transactions\":\"0x02\"}");
    assertThat(notList.reason()).isEqualTo(Reason.MALFORMED_REQUEST);
    assertThat(notList.message()).contains("\"transactions\" must be a list").contains("\"0x02\"");

    assertThat(refusal(FunctionRequests::preconfirm, "{\"transactions\":[],\"atmoic\":true}"))
        .extracting(Rejection::message)
        .asString()
        .contains("\"atmoic\"")
        .contains("atomic, targetSlot, transactions");
    assertThat(refusal(FunctionRequests::preconfirm, "{\"transactions\":[],\"atomic\":1}"))
        .extracting(Rejection::message)
        .isEqualTo("field \"atomic\" must be true or false, got 1");
    assertThat(
            refusal(FunctionRequests::preconfirm, "{\"transactions\":[],\"targetSlot\":\"soon\"}"))
        .extracting(Rejection::message)
        .isEqualTo("field \"targetSlot\" must be a whole JSON number, got \"soon\"");
    assertThat(refusal(FunctionRequests::preconfirm, "[]").reason())
        .isEqualTo(Reason.MALFORMED_REQUEST);
  }

  @Test
  void statusKeepsAHashProblemForTheLookupToTellAfterTheChain() {
    assertThat(FunctionRequests.status(json("{\"chainId\":1,\"txHash\":\"0xabc\"}")).txHash())
        .extracting(r -> r.rejection().reason())
        .isEqualTo(Reason.MALFORMED_HEX);
    StatusRequest shortHash = FunctionRequests.status(json("{\"chainId\":1,\"txHash\":\"0xab\"}"));
    assertThat(shortHash.chainId()).isEqualTo(1);
    assertThat(shortHash.txHash().rejection().reason()).isEqualTo(Reason.WRONG_LENGTH);
    assertThat(shortHash.txHash().rejection().message()).contains("txHash").contains("1 bytes");
    assertThat(FunctionRequests.status(json("{\"chainId\":0}")).txHash().rejection().reason())
        .isEqualTo(Reason.MISSING_FIELD);
    assertThat(FunctionRequests.status(json("{\"chainId\":7,\"txHash\":" + HASH + "}")).txHash())
        .isEqualTo(Result.ok(Hash32.fromHex("txHash", "0x" + "ab".repeat(32))));
  }

  /** Whether chain 0 is served is the lookup's to say; what is not a chain id at all is refused. */
  @Test
  void statusRefusesAChainIdThatIsNoWholeNumberAndFieldsItDoesNotTake() {
    assertThat(FunctionRequests.status(json("{\"chainId\":0,\"txHash\":" + HASH + "}")).chainId())
        .isZero();
    assertThat(
            refusal(FunctionRequests::status, "{\"chainId\":\"1\",\"txHash\":" + HASH + "}")
                .reason())
        .isEqualTo(Reason.MALFORMED_REQUEST);
    assertThat(refusal(FunctionRequests::status, "{\"txHash\":" + HASH + "}").reason())
        .isEqualTo(Reason.MISSING_FIELD);
    assertThat(
            refusal(FunctionRequests::status, "{\"chainId\":1,\"txHash\":" + HASH + ",\"x\":1}")
                .message())
        .contains("\"x\"");
  }

  @Test
  void validateRefusesTheRawTransactionUnderItsOwnCode() {
    String p = PreconfirmationCodecTest.SPEC_SHAPED.trim();
    String withRaw = p.substring(0, p.length() - 1) + ",\"rawTransaction\":\"0xzz\"}";

    Rejection r = refusal(FunctionRequests::validate, withRaw);

    assertThat(r.code()).isEqualTo(ErrorCode.INVALID_TRANSACTION);
    assertThat(r.reason()).isEqualTo(Reason.MALFORMED_HEX);
    assertThat(r.message()).startsWith("rawTransaction");
    assertThat(FunctionRequests.validate(json(p)).rawTransaction()).isNull();
  }

  @Test
  void blockLeavesMeaningToBlockParseButChecksTypes() {
    WireBlock b =
        FunctionRequests.block(
            json(
                "{\"chainId\":5,\"number\":7,\"hash\":\"0x1\",\"timestamp\":9,\"transactions\":[]}"));
    assertThat(b.chainId()).isEqualTo(5L);
    assertThat(b.hash()).isEqualTo("0x1");
    assertThat(b.slot()).isNull();
    assertThat(b.parentHash()).isNull();

    assertThat(refusal(FunctionRequests::block, "{\"transactions\":[" + HASH + ",7]}").message())
        .isEqualTo("field \"transactions[1]\" must be a string, got 7");
    assertThat(refusal(FunctionRequests::block, "{\"number\":\"7\"}").message())
        .contains("\"number\"")
        .contains("\"7\"");
    assertThat(refusal(FunctionRequests::block, "{\"parenthash\":" + HASH + "}").message())
        .contains("\"parenthash\"");
  }
}
