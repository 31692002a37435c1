package io.preconf.core.tx;

import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import java.math.BigInteger;

/**
 * A signed rollup transaction after decoding and sender recovery.
 *
 * @param raw the envelope exactly as {@code eth_sendRawTransaction} takes it
 * @param txHash keccak256 of {@code raw}
 * @param sender the address recovered from the transaction's own signature
 * @param to the recipient, or null for contract creation
 * @param maxFeePerGas the gas price for legacy and type-1 transactions
 * @param maxPriorityFeePerGas the gas price for legacy and type-1 transactions
 * @param dataSize length of the call data (the init code when {@code to} is null)
 */
public record DecodedTransaction(
    Bytes raw,
    Hash32 txHash,
    TxType type,
    ChainId chainId,
    Address sender,
    long nonce,
    long gasLimit,
    BigInteger maxFeePerGas,
    BigInteger maxPriorityFeePerGas,
    Address to,
    BigInteger value,
    int dataSize) {

  public boolean isContractCreation() {
    return to == null;
  }

  public int size() {
    return raw.size();
  }
}
