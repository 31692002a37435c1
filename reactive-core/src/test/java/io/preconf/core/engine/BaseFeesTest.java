package io.preconf.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** Worked by hand from EIP-1559's update rule for blocks that use all their gas. */
class BaseFeesTest {

  @Test
  void eachFullBlockRaisesTheBaseFeeByAnEighthRoundedDown() {
    BigInteger gwei = BigInteger.valueOf(1_000_000_000L);

    assertThat(BaseFees.worstAfter(gwei, 0)).isEqualTo(gwei);
    assertThat(BaseFees.worstAfter(gwei, 1)).isEqualTo(BigInteger.valueOf(1_125_000_000L));
    assertThat(BaseFees.worstAfter(gwei, 2)).isEqualTo(BigInteger.valueOf(1_265_625_000L));
    // 1,265,625,000 / 8 = 158,203,125 exactly; then 1,423,828,125 / 8 = 177,978,515 (rounded down)
    assertThat(BaseFees.worstAfter(gwei, 3)).isEqualTo(BigInteger.valueOf(1_423_828_125L));
    assertThat(BaseFees.worstAfter(gwei, 4)).isEqualTo(BigInteger.valueOf(1_601_806_640L));
  }

  @Test
  void aBaseFeeBelowEightWeiStillRisesByOneWeiPerBlock() {
    assertThat(BaseFees.worstAfter(BigInteger.valueOf(7), 1)).isEqualTo(BigInteger.valueOf(8));
    assertThat(BaseFees.worstAfter(BigInteger.valueOf(7), 2)).isEqualTo(BigInteger.valueOf(9));
    assertThat(BaseFees.worstAfter(BigInteger.valueOf(8), 1)).isEqualTo(BigInteger.valueOf(9));
  }

  @Test
  void aChainWithoutABaseFeeKeepsNone() {
    assertThat(BaseFees.worstAfter(BigInteger.ZERO, 50)).isZero();
  }

  @Test
  void theClimbStopsOncePastWhatAnyFeeCanPay() {
    BigInteger fee = BaseFees.worstAfter(BigInteger.ONE, Long.MAX_VALUE);

    assertThat(fee.bitLength()).isEqualTo(257);
  }

  @Test
  void aFeePaysForTheBlocksWhoseWorstBaseFeeItCovers() {
    BigInteger gwei = BigInteger.valueOf(1_000_000_000L);

    assertThat(BaseFees.blocksPaidFor(gwei, gwei.subtract(BigInteger.ONE), 10)).isEqualTo(-1);
    assertThat(BaseFees.blocksPaidFor(gwei, gwei, 10)).isZero();
    assertThat(BaseFees.blocksPaidFor(gwei, BigInteger.valueOf(1_265_625_000L), 10)).isEqualTo(2);
    assertThat(BaseFees.blocksPaidFor(gwei, BigInteger.valueOf(1_423_828_124L), 10)).isEqualTo(2);
    assertThat(BaseFees.blocksPaidFor(gwei, gwei.multiply(gwei), 10)).isEqualTo(10);
    assertThat(BaseFees.blocksPaidFor(BigInteger.ZERO, BigInteger.ONE, 10)).isEqualTo(10);
  }
}
