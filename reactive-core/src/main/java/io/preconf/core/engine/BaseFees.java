package io.preconf.core.engine;

import java.math.BigInteger;

/**
 * How high a base fee can climb, by <a href="https://eips.ethereum.org/EIPS/eip-1559">EIP-1559</a>:
 * a block whose parent used all its gas (twice its target) raises the base fee by {@code
 * parent_base_fee * gas_used_delta // parent_gas_target // BASE_FEE_MAX_CHANGE_DENOMINATOR}, that
 * is by an eighth, and by at least 1 wei.
 */
final class BaseFees {
  private static final BigInteger DENOMINATOR = BigInteger.valueOf(8);
  private static final BigInteger UINT256_LIMIT = BigInteger.ONE.shiftLeft(256);

  private BaseFees() {}

  /**
   * The base fee after {@code blocks} full blocks from {@code baseFee}; zero stays zero (a chain
   * without EIP-1559). Past 2^256 the climb stops: no fee can pay that anyway.
   */
  static BigInteger worstAfter(BigInteger baseFee, long blocks) {
    if (baseFee.signum() == 0) {
      return baseFee;
    }
    BigInteger fee = baseFee;
    for (long i = 0; i < blocks && fee.compareTo(UINT256_LIMIT) < 0; i++) {
      fee = fee.add(fee.divide(DENOMINATOR).max(BigInteger.ONE));
    }
    return fee;
  }

  /**
   * How many full blocks from {@code baseFee} a fee of {@code maxFee} per gas still pays for, at
   * most {@code limit}: the most {@code n} with {@code worstAfter(baseFee, n) <= maxFee}, or -1
   * when it pays not even {@code baseFee}.
   */
  static long blocksPaidFor(BigInteger baseFee, BigInteger maxFee, long limit) {
    if (baseFee.compareTo(maxFee) > 0) {
      return -1;
    }
    if (baseFee.signum() == 0) {
      return limit;
    }
    BigInteger fee = baseFee;
    long n = 0;
    while (n < limit) {
      fee = fee.add(fee.divide(DENOMINATOR).max(BigInteger.ONE));
      if (fee.compareTo(maxFee) > 0) {
        return n;
      }
      n++;
    }
    return n;
  }
}
