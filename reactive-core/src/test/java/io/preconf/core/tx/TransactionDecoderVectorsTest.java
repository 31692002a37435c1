package io.preconf.core.tx;

import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.Rejection;
import io.preconf.core.error.Result;
import io.preconf.core.tx.TransactionVectors.RejectionCase;
import io.preconf.core.tx.TransactionVectors.Vector;
import java.math.BigInteger;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every transaction ethers signed decodes to exactly the fields ethers recorded. */
class TransactionDecoderVectorsTest {
  private static final Map<Integer, TxType> TYPES =
      Map.of(0, TxType.LEGACY, 1, TxType.ACCESS_LIST, 2, TxType.DYNAMIC_FEE);

  @Test
  void vectorFileCoversEveryTypeCreationsAndEveryRejectionReason() {
    assertThat(TransactionVectors.vectors()).extracting(Vector::type).contains(0, 1, 2);
    assertThat(TransactionVectors.vectors()).anyMatch(v -> v.to() == null);
    assertThat(TransactionVectors.rejections())
        .extracting(RejectionCase::reason)
        .map(Reason::valueOf)
        .contains(
            Reason.MALFORMED_HEX,
            Reason.MALFORMED_RLP,
            Reason.UNSUPPORTED_TX_TYPE,
            Reason.MISSING_CHAIN_ID,
            Reason.BAD_SIGNATURE,
            Reason.OUT_OF_RANGE,
            Reason.GAS_LIMIT_EXCEEDED);
  }

  @TestFactory
  Stream<DynamicTest> decodesEveryEthersVectorToTheRecordedFields() {
    return TransactionVectors.vectors().stream()
        .map(v -> DynamicTest.dynamicTest(v.name(), () -> assertDecodesTo(v)));
  }

  @TestFactory
  Stream<DynamicTest> rejectsEveryBadInputWithItsReason() {
    return TransactionVectors.rejections().stream()
        .map(
            c ->
                DynamicTest.dynamicTest(
                    c.name() + " -> " + c.reason(),
                    () -> {
                      Result<DecodedTransaction> result = TransactionDecoder.decodeHex(c.raw());
                      assertThat(result.isOk()).as("decoded %s", c.name()).isFalse();
                      Rejection rejection = result.rejection();
                      assertThat(rejection.code()).isEqualTo(ErrorCode.INVALID_TRANSACTION);
                      assertThat(rejection.reason())
                          .as(rejection.message())
                          .isEqualTo(Reason.valueOf(c.reason()));
                      assertThat(rejection.message()).isNotBlank().doesNotContain("\n");
                    }));
  }

  private static void assertDecodesTo(Vector v) {
    Result<DecodedTransaction> result = TransactionDecoder.decodeHex(v.raw());
    assertThat(result.isOk())
        .as(() -> "rejected: " + (result.isOk() ? "" : result.rejection()))
        .isTrue();
    DecodedTransaction tx = result.value();
    assertThat(tx.raw().toHex()).isEqualTo(v.raw());
    assertThat(tx.txHash().toHex()).isEqualTo(v.hash());
    assertThat(tx.sender().toHex()).isEqualTo(v.from());
    assertThat(tx.type()).isEqualTo(TYPES.get(v.type()));
    assertThat(tx.chainId().value()).isEqualTo(v.chainId());
    assertThat(tx.nonce()).isEqualTo(v.nonce());
    assertThat(tx.gasLimit()).isEqualTo(Long.parseLong(v.gasLimit()));
    assertThat(tx.maxFeePerGas()).isEqualTo(new BigInteger(v.maxFeePerGas()));
    assertThat(tx.maxPriorityFeePerGas()).isEqualTo(new BigInteger(v.maxPriorityFeePerGas()));
    if (v.to() == null) {
      assertThat(tx.to()).isNull();
      assertThat(tx.isContractCreation()).isTrue();
    } else {
      assertThat(tx.to().toHex()).isEqualTo(v.to());
    }
    assertThat(tx.value()).isEqualTo(new BigInteger(v.value()));
    assertThat(tx.dataSize()).isEqualTo(v.dataSize());
  }
}
