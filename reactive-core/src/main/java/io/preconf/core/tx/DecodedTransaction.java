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
 * @param zeroDataBytes how many bytes of the call data are zero (they cost less gas)
 * @param accessListAddresses how many addresses the EIP-2930 access list names (0 for legacy)
 * @param accessListStorageKeys how many storage keys the access list names, over all addresses
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
    int dataSize,
    int zeroDataBytes,
    int accessListAddresses,
    int accessListStorageKeys) {

  /**
   * The most the transaction can cost its sender, {@code value + gasLimit * maxFeePerGas} (the gas
   * price for legacy and type-1 transactions): the balance a node asks for before taking it.
   */
  public BigInteger maxCostWei() {
    return BigInteger.valueOf(gasLimit).multiply(maxFeePerGas).add(value);
  }

  public boolean isContractCreation() {
    return to == null;
  }

  public int nonZeroDataBytes() {
    return dataSize - zeroDataBytes;
  }

  public int size() {
    return raw.size();
  }
}
