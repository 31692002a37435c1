package io.preconf.core.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.preconf.core.error.Reason;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** A value type's refusal says why in its reason, so that no caller reads the message to tell. */
class ValueTypeReasonsTest {

  private static void refused(ThrowingCallable build, Reason reason, String named) {
    assertThatThrownBy(build)
        .isInstanceOfSatisfying(
            MalformedValueException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(reason);
              assertThat(e.getMessage()).contains(named);
            });
  }

  @Test
  void hexNamesMissingAndMalformedValues() {
    refused(() -> Hex.decode("txHash", null), Reason.MISSING_FIELD, "txHash");
    refused(() -> Hex.decode("txHash", "abcd"), Reason.MALFORMED_HEX, "\"abcd\"");
    refused(() -> Hex.decode("txHash", "0xabc"), Reason.MALFORMED_HEX, "\"0xabc\"");
    refused(() -> Hex.decode("txHash", "0xzz"), Reason.MALFORMED_HEX, "'z'");
  }

  @Test
  void fixedSizeValuesRefuseAWrongLength() {
    refused(() -> Hash32.fromHex("root", "0x1234"), Reason.WRONG_LENGTH, "got 2 bytes");
    refused(() -> Hash32.wrap(new byte[31]), Reason.WRONG_LENGTH, "got 31 bytes");
    refused(() -> Address.fromHex("sender", "0x" + "00".repeat(21)), Reason.WRONG_LENGTH, "21");
    refused(() -> Address.wrap(new byte[19]), Reason.WRONG_LENGTH, "got 19 bytes");
  }

  @Test
  void chainIdsOutsideFiftyThreeBitsAreOutOfRange() {
    refused(() -> ChainId.of(0), Reason.OUT_OF_RANGE, "got 0");
    refused(() -> ChainId.of(ChainId.MAX + 1), Reason.OUT_OF_RANGE, "got 9007199254740992");
  }
}
