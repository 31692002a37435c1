package io.preconf.core.validation;

import io.preconf.core.tx.DecodedTransaction;

/**
 * The gas a transaction is charged before its first instruction runs. A gas limit below it makes a
 * transaction that no block can include, so the engine must not promise it. Mirrors {@code
 * calculate_intrinsic_cost} and {@code validate_transaction} of the Prague execution spec.
 *
 * @see <a
 *     href="https://github.com/ethereum/execution-specs/blob/master/src/ethereum/forks/prague/transactions.py">execution-specs,
 *     Prague transactions.py</a>
 * @see <a href="https://eips.ethereum.org/EIPS/eip-2028">EIP-2028</a> (call data bytes)
 * @see <a href="https://eips.ethereum.org/EIPS/eip-2930">EIP-2930</a> (access list)
 * @see <a href="https://eips.ethereum.org/EIPS/eip-3860">EIP-3860</a> (init code words)
 * @see <a href="https://eips.ethereum.org/EIPS/eip-7623">EIP-7623</a> (call data floor)
 */
public final class IntrinsicGas {
  static final long TX_BASE = 21_000;
  static final long CREATE = 32_000;
  static final long NON_ZERO_BYTE = 16;
  static final long ZERO_BYTE = 4;
  static final long ACCESS_LIST_ADDRESS = 2_400;
  static final long ACCESS_LIST_STORAGE_KEY = 1_900;
  static final long INIT_CODE_WORD = 2;
  static final long FLOOR_PER_TOKEN = 10;
  static final long TOKENS_PER_NON_ZERO_BYTE = 4;

  private IntrinsicGas() {}

  /**
   * 21,000; 32,000 more and 2 per 32-byte init-code word for a contract creation; 16 per non-zero
   * and 4 per zero data byte; 2,400 per access-list address and 1,900 per storage key.
   */
  public static long standard(DecodedTransaction tx) {
    long gas =
        TX_BASE
            + NON_ZERO_BYTE * tx.nonZeroDataBytes()
            + ZERO_BYTE * tx.zeroDataBytes()
            + ACCESS_LIST_ADDRESS * tx.accessListAddresses()
            + ACCESS_LIST_STORAGE_KEY * tx.accessListStorageKeys();
    if (tx.isContractCreation()) {
      gas += CREATE + INIT_CODE_WORD * ((tx.dataSize() + 31L) / 32);
    }
    return gas;
  }

  /**
   * EIP-7623: 21,000 plus 10 per call-data token, a zero byte being one token and any other byte
   * four. Neither a creation nor the access list adds to it.
   */
  public static long calldataFloor(DecodedTransaction tx) {
    long tokens = tx.zeroDataBytes() + TOKENS_PER_NON_ZERO_BYTE * tx.nonZeroDataBytes();
    return TX_BASE + FLOOR_PER_TOKEN * tokens;
  }

  /** The least gas limit {@code tx} may carry: the standard cost, or the floor when higher. */
  public static long required(DecodedTransaction tx, boolean prague) {
    long standard = standard(tx);
    return prague ? Math.max(standard, calldataFloor(tx)) : standard;
  }
}
