package io.preconf.core.engine;

import static io.preconf.core.engine.IntrinsicGasTest.accessList;
import static io.preconf.core.engine.IntrinsicGasTest.decoded;
import static io.preconf.core.engine.IntrinsicGasTest.filled;
import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.Rejection;
import io.preconf.core.error.Result;
import io.preconf.core.rollup.RollupConfig;
import io.preconf.core.rollup.Rollups;
import io.preconf.core.tx.TransactionBuilder;
import io.preconf.core.tx.TxType;
import io.preconf.core.types.Address;
import io.preconf.core.types.ChainId;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The guard clauses for transactions that no block can ever include: too little gas for what the
 * transaction costs before it runs, and an upfront cost no 256-bit balance can hold.
 */
class TransactionRulesTest {
  private static final ChainId PRAGUE = ChainId.of(31_337);
  private static final ChainId CANCUN = ChainId.of(31_338);
  private static final Address TO = Address.fromHex("0x095e7baea6a6c7c4c2dfeb977efac326af552d87");
  private static final BigInteger MAX_UINT256 =
      BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);

  private final TransactionRules rules =
      new TransactionRules(
          Rollups.of(List.of(rollup(PRAGUE, "prague", true), rollup(CANCUN, "cancun", false))),
          EngineConfig.defaults());

  // ---- intrinsic gas ----

  @ParameterizedTest
  @EnumSource(TxType.class)
  void takesExactlyTheIntrinsicGasAndRefusesOneLess(TxType type) {
    TransactionBuilder tx =
        TransactionBuilder.on(CANCUN).type(type).to(TO).data(new byte[] {0, 1, 2, 0});
    long needed = 21_000 + 2 * 4 + 2 * 16;

    assertThat(rules.check(decoded(tx.gasLimit(needed))).isOk()).isTrue();
    assertIntrinsicGasTooLow(rules.check(decoded(tx.gasLimit(needed - 1))), needed - 1, needed);
  }

  @Test
  void refusesATransferBelow21000NamingBothNumbers() {
    Rejection r = rejected(TransactionBuilder.on(PRAGUE).to(TO).gasLimit(20_999));

    assertThat(r.code()).isEqualTo(ErrorCode.INVALID_TRANSACTION);
    assertThat(r.reason()).isEqualTo(Reason.INTRINSIC_GAS_TOO_LOW);
    assertThat(r.message())
        .isEqualTo(
            "gas limit 20999 is below the intrinsic gas 21000 the transaction costs before it"
                + " runs; no block can include it");
  }

  @Test
  void aCreationNeedsItsInitCodeWordsOnTop() {
    // 33 zero bytes: 53,000 + 33 * 4 + 2 words * 2.
    TransactionBuilder tx = TransactionBuilder.on(CANCUN).to(null).data(new byte[33]);

    assertThat(rules.check(decoded(tx.gasLimit(53_136))).isOk()).isTrue();
    assertIntrinsicGasTooLow(rules.check(decoded(tx.gasLimit(53_135))), 53_135, 53_136);
  }

  @ParameterizedTest
  @EnumSource(
      value = TxType.class,
      names = {"ACCESS_LIST", "DYNAMIC_FEE"})
  void theAccessListIsPaidFor(TxType type) {
    TransactionBuilder tx =
        TransactionBuilder.on(PRAGUE).type(type).to(TO).accessList(accessList(2, 0));
    long needed = 21_000 + 2 * 2_400 + 2 * 1_900;

    assertThat(rules.check(decoded(tx.gasLimit(needed))).isOk()).isTrue();
    assertIntrinsicGasTooLow(rules.check(decoded(tx.gasLimit(needed - 1))), needed - 1, needed);
  }

  @Test
  void theCallDataFloorHoldsOnAPragueRollupOnly() {
    // 100 non-zero bytes: 22,600 standard, 25,000 floor.
    TransactionBuilder tx = TransactionBuilder.on(PRAGUE).to(TO).data(filled(100, 0x42));

    assertThat(rules.check(decoded(tx.gasLimit(25_000))).isOk()).isTrue();
    Rejection r = rejected(tx.gasLimit(24_999));
    assertThat(r.reason()).isEqualTo(Reason.INTRINSIC_GAS_TOO_LOW);
    assertThat(r.message())
        .isEqualTo(
            "gas limit 24999 is below the intrinsic gas 25000 (the EIP-7623 call-data floor of"
                + " Prague, which rollup prague runs) the transaction costs before it runs; no"
                + " block can include it");

    TransactionBuilder onCancun = TransactionBuilder.on(CANCUN).to(TO).data(filled(100, 0x42));
    assertThat(rules.check(decoded(onCancun.gasLimit(22_600))).isOk()).isTrue();
    assertIntrinsicGasTooLow(rules.check(decoded(onCancun.gasLimit(22_599))), 22_599, 22_600);
  }

  @Test
  void aRollupIsOnPragueUnlessConfiguredOtherwise() {
    RollupConfig unsaid = RollupConfig.builder(PRAGUE, "unsaid", 0).build();

    assertThat(unsaid.prague()).isTrue();
  }

  // ---- upfront cost above 2^256 - 1 (ethereum/tests TransactionTests/ttEIP1559) ----

  /** maxFeePerGas 2^242 - 1 (0x03ff..ff, 31 bytes) times 21,000 gas needs 257 bits. */
  @Test
  void gasLimitPriceProductOverflow() {
    Rejection r = rejected(fixture(BigInteger.ONE.shiftLeft(242).subtract(BigInteger.ONE)));

    assertThat(r.code()).isEqualTo(ErrorCode.INVALID_TRANSACTION);
    assertThat(r.reason()).isEqualTo(Reason.UPFRONT_COST_EXCEEDS_UINT256);
    assertThat(r.message())
        .isEqualTo(
            "gas limit 21000 times maxFeePerGas"
                + " 0x3ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff wei plus value"
                + " 0 wei is above 2^256 - 1 wei, more than any balance can hold");
  }

  /** maxFeePerGas 0x04ff..ff (31 bytes): the product overflows by more. */
  @Test
  void gasLimitPriceProductPlusOneOverflow() {
    Rejection r = rejected(fixture(new BigInteger("04" + "ff".repeat(30), 16)));

    assertThat(r.reason()).isEqualTo(Reason.UPFRONT_COST_EXCEEDS_UINT256);
    assertThat(r.message()).contains("gas limit 21000", "0x4ff", "ff wei plus value 0 wei");
  }

  /** maxFeePerGas 0x02ff..ff (31 bytes): the product still fits 256 bits, so it is taken. */
  @Test
  void gasLimitPriceProductOverflowtMinusOne() {
    assertThat(rules.check(decoded(fixture(new BigInteger("02" + "ff".repeat(30), 16)))).isOk())
        .isTrue();
  }

  /** maxFeePerGas 2^256 - 1: any gas at all overflows. */
  @Test
  void maxFeePerGas32BytesValue() {
    Rejection r = rejected(fixture(MAX_UINT256));

    assertThat(r.reason()).isEqualTo(Reason.UPFRONT_COST_EXCEEDS_UINT256);
    assertThat(r.message()).contains("maxFeePerGas 0x" + "f".repeat(64) + " wei");
  }

  @Test
  void theUpfrontCostMayBeExactly2To256MinusOne() {
    BigInteger price = MAX_UINT256.divide(BigInteger.valueOf(21_000));
    BigInteger rest = MAX_UINT256.subtract(price.multiply(BigInteger.valueOf(21_000)));

    assertThat(rules.check(decoded(fixture(price).value(rest))).isOk()).isTrue();
    Rejection r = rejected(fixture(price).value(rest.add(BigInteger.ONE)));
    assertThat(r.reason()).isEqualTo(Reason.UPFRONT_COST_EXCEEDS_UINT256);
    assertThat(r.message()).contains("plus value " + rest.add(BigInteger.ONE) + " wei");
  }

  @ParameterizedTest
  @EnumSource(
      value = TxType.class,
      names = {"LEGACY", "ACCESS_LIST"})
  void theGasPriceOfOlderTypesIsNamedAsSuch(TxType type) {
    Rejection r = rejected(fixture(BigInteger.ONE.shiftLeft(250)).type(type));

    assertThat(r.reason()).isEqualTo(Reason.UPFRONT_COST_EXCEEDS_UINT256);
    assertThat(r.message()).startsWith("gas limit 21000 times gasPrice 0x4000");
  }

  @Test
  void aValueOfAllOnesOverflowsWithAnyFee() {
    Rejection r =
        rejected(fixture(BigInteger.ONE).maxPriorityFeePerGas(BigInteger.ONE).value(MAX_UINT256));

    assertThat(r.reason()).isEqualTo(Reason.UPFRONT_COST_EXCEEDS_UINT256);
    assertThat(r.message()).contains("maxFeePerGas 1 wei plus value 0x" + "f".repeat(64));
  }

  /** As in the fixtures: 21,000 gas, a 2 gwei tip, no value and no data, to 0x095e..2d87. */
  private static TransactionBuilder fixture(BigInteger maxFeePerGas) {
    return TransactionBuilder.on(PRAGUE)
        .to(TO)
        .gasLimit(21_000)
        .maxPriorityFeePerGas(BigInteger.valueOf(2_000_000_000L))
        .maxFeePerGas(maxFeePerGas);
  }

  private Rejection rejected(TransactionBuilder tx) {
    Result<RollupConfig> result = rules.check(decoded(tx));
    assertThat(result.isOk()).as("expected a rejection").isFalse();
    return result.rejection();
  }

  private static void assertIntrinsicGasTooLow(
      Result<RollupConfig> result, long gasLimit, long needed) {
    assertThat(result.isOk()).as("accepted gas limit %d", gasLimit).isFalse();
    Rejection r = result.rejection();
    assertThat(r.code()).isEqualTo(ErrorCode.INVALID_TRANSACTION);
    assertThat(r.reason()).as(r.message()).isEqualTo(Reason.INTRINSIC_GAS_TOO_LOW);
    assertThat(r.message())
        .startsWith("gas limit " + gasLimit + " is below the intrinsic gas " + needed + " ");
  }

  private static RollupConfig rollup(ChainId id, String name, boolean prague) {
    return RollupConfig.builder(id, name, 0)
        .minPriorityFeeWei(BigInteger.ZERO)
        .prague(prague)
        .build();
  }
}
