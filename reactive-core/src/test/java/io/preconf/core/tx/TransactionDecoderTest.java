package io.preconf.core.tx;

import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.Rejection;
import io.preconf.core.error.Result;
import io.preconf.core.tx.TransactionVectors.RejectionCase;
import io.preconf.core.tx.TransactionVectors.Vector;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a caller sees: which reason, and a message that names the bad value. */
class TransactionDecoderTest {

  private static String rejectionRaw(String name) {
    return TransactionVectors.rejections().stream()
        .filter(c -> c.name().equals(name))
        .map(RejectionCase::raw)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no rejection case named " + name));
  }

  private static String vectorRaw(String name) {
    return TransactionVectors.vectors().stream()
        .filter(v -> v.name().equals(name))
        .map(Vector::raw)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no vector named " + name));
  }

  private static Rejection rejected(String hex) {
    Result<DecodedTransaction> result = TransactionDecoder.decodeHex(hex);
    assertThat(result.isOk()).as("expected a rejection for %s", Hex.abbreviate(hex)).isFalse();
    assertThat(result.rejection().code()).isEqualTo(ErrorCode.INVALID_TRANSACTION);
    return result.rejection();
  }

  @Test
  void refusesAPreEip155LegacyTransactionAsReplayable() {
    Rejection r = rejected(rejectionRaw("pre-EIP-155 legacy, v=27 or 28"));
    assertThat(r.reason()).isEqualTo(Reason.MISSING_CHAIN_ID);
    assertThat(r.message())
        .matches(
            "legacy transaction without EIP-155 chain id \\(v=2[78]\\) is refused: replayable"
                + " across chains");
  }

  @Test
  void namesTheBlobTypeAndTheTypesItAccepts() {
    Rejection r = rejected(rejectionRaw("type 3 blob envelope"));
    assertThat(r.reason()).isEqualTo(Reason.UNSUPPORTED_TX_TYPE);
    assertThat(r.message())
        .isEqualTo(
            "transaction type 0x03 (EIP-4844 blob) is not supported; send legacy (EIP-155), type"
                + " 1 or type 2");
  }

  @Test
  void namesTheSetCodeType() {
    Rejection r = rejected(rejectionRaw("type 4 set-code envelope"));
    assertThat(r.reason()).isEqualTo(Reason.UNSUPPORTED_TX_TYPE);
    assertThat(r.message())
        .startsWith("transaction type 0x04 (EIP-7702 set-code) is not supported");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0x00", "0x05", "0x7f"})
  void refusesEveryOtherTypeByteBeforeLookingAtItsPayload(String typeByte) {
    Rejection r = rejected(typeByte + "c0");
    assertThat(r.reason()).isEqualTo(Reason.UNSUPPORTED_TX_TYPE);
    assertThat(r.message()).startsWith("transaction type " + typeByte + " is not supported");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0x80", "0x9a01", "0xb8"})
  void refusesAnEnvelopeThatStartsWithAStringHeaderAsMalformed(String hex) {
    Rejection r = rejected(hex);
    assertThat(r.reason()).isEqualTo(Reason.MALFORMED_RLP);
    assertThat(r.message()).contains("starts with " + hex.substring(0, 4));
  }

  @Test
  void refusesEmptyInputAsMalformed() {
    Rejection r = rejected("0x");
    assertThat(r.reason()).isEqualTo(Reason.MALFORMED_RLP);
    assertThat(r.message()).isEqualTo("transaction is empty");
  }

  @Test
  void refusesAYParityOfTwoNamingIt() {
    Rejection r = rejected(rejectionRaw("type 2 with yParity 2"));
    assertThat(r.reason()).isEqualTo(Reason.BAD_SIGNATURE);
    assertThat(r.message()).startsWith("yParity 2 must be 0 or 1");
  }

  @Test
  void refusesHighSNamingS() {
    assertThat(rejected(rejectionRaw("type 2 high-s")).message())
        .startsWith("signature s 0x")
        .contains("above n/2");
    assertThat(rejected(rejectionRaw("legacy high-s")).message()).contains("above n/2");
  }

  @Test
  void refusesAnOutOfRangeRNamingR() {
    assertThat(rejected(rejectionRaw("type 2 with r = 0")).message())
        .isEqualTo("signature r 0x0 is not in 1..n-1");
    assertThat(rejected(rejectionRaw("type 2 with r = n")).message())
        .startsWith("signature r 0xffffffff");
  }

  @Test
  void refusesAnRThatIsNoPointOnTheCurve() {
    Rejection r = rejected(rejectionRaw("type 2 with r not on the curve"));
    assertThat(r.reason()).isEqualTo(Reason.BAD_SIGNATURE);
    assertThat(r.message()).contains("does not recover a public key");
  }

  @Test
  void refusesLegacyVThatIsNeitherPreNorPostEip155() {
    Rejection r = rejected(rejectionRaw("legacy v=29"));
    assertThat(r.reason()).isEqualTo(Reason.BAD_SIGNATURE);
    assertThat(r.message()).startsWith("legacy v=29 ");
  }

  @Test
  void namesTheChainIdOutsideTheJsonSafeRange() {
    Rejection r = rejected(rejectionRaw("type 2 chain id 2^53"));
    assertThat(r.reason()).isEqualTo(Reason.OUT_OF_RANGE);
    assertThat(r.message()).isEqualTo("chainId 9007199254740992 is outside 1..9007199254740991");
    assertThat(rejected(rejectionRaw("type 2 chain id 0")).message()).startsWith("chainId 0 ");
  }

  @Test
  void namesTheNonceAboveTheJsonSafeRange() {
    Rejection r = rejected(rejectionRaw("type 2 nonce 2^53"));
    assertThat(r.reason()).isEqualTo(Reason.OUT_OF_RANGE);
    assertThat(r.message()).isEqualTo("nonce 9007199254740992 is above 9007199254740991");
  }

  @Test
  void namesTheGasLimitThatDoesNotFitALong() {
    Rejection r = rejected(rejectionRaw("type 2 gas limit 2^63"));
    assertThat(r.reason()).isEqualTo(Reason.GAS_LIMIT_EXCEEDED);
    assertThat(r.message()).isEqualTo("gasLimit 0x8000000000000000 is above 9223372036854775807");
  }

  @Test
  void namesTheFieldCount() {
    assertThat(rejected(rejectionRaw("type 2 with 11 fields")).message())
        .isEqualTo("type-2 transaction has 11 fields, expected 12");
    assertThat(rejected(rejectionRaw("legacy with 10 fields")).message())
        .isEqualTo("legacy transaction has 10 fields, expected 9");
  }

  @Test
  void namesAWrongLengthRecipient() {
    assertThat(rejected(rejectionRaw("type 2 to of 19 bytes")).message())
        .isEqualTo("to must be empty or 20 bytes, got 19 bytes");
  }

  @Test
  void namesTheBadAccessListEntry() {
    assertThat(rejected(rejectionRaw("type 2 access list key of 31 bytes")).message())
        .isEqualTo("accessList[0].storageKeys[0] must be 32 bytes, got 31 bytes");
    assertThat(rejected(rejectionRaw("type 2 access list address of 21 bytes")).message())
        .isEqualTo("accessList[0].address must be 20 bytes, got 21 bytes");
  }

  @Test
  void namesTrailingBytes() {
    assertThat(rejected(rejectionRaw("type 2 with a trailing byte")).message())
        .isEqualTo("type-2 transaction is followed by 1 trailing bytes after its RLP list");
  }

  @Test
  void reportsBadHexAsMalformedHexNamingTheValue() {
    Result<DecodedTransaction> result = TransactionDecoder.decodeHex("0x02zz");
    assertThat(result.rejection().reason()).isEqualTo(Reason.MALFORMED_HEX);
    assertThat(result.rejection().message()).contains("transaction").contains("'z'");
    assertThat(TransactionDecoder.decodeHex(null).rejection().reason())
        .isEqualTo(Reason.MALFORMED_HEX);
    assertThat(TransactionDecoder.decodeHex("f86b").rejection().message())
        .contains("0x-prefixed")
        .contains("f86b");
  }

  @Test
  void acceptsUpperCaseHex() {
    String raw = vectorRaw("type 2, chain 8453");
    assertThat(TransactionDecoder.decodeHex("0X" + raw.substring(2).toUpperCase()).isOk()).isTrue();
  }

  @Test
  void keepsTheCallersBytesAsTheRawTransaction() {
    Bytes raw = Bytes.fromHex("tx", vectorRaw("legacy, chain 1"));
    assertThat(TransactionDecoder.decode(raw).value().raw()).isSameAs(raw);
  }

  @Test
  void namesAnOversizedChainIdInHex() {
    // chainId of 32 bytes: a valid uint256 but far outside the range; the message stays short.
    String hex = "0x02e1a0" + "ff".repeat(32);
    Rejection r = rejected(hex);
    assertThat(r.reason()).isEqualTo(Reason.MALFORMED_RLP); // 1 field, not 12
    Rejection big =
        rejected(
            "0x02eca0"
                + "ff".repeat(32)
                + "80".repeat(11)); // 12 fields, chainId first and oversized
    assertThat(big.reason()).isEqualTo(Reason.OUT_OF_RANGE);
    assertThat(big.message()).hasSizeLessThan(120).startsWith("chainId 0xffff");
  }
}
