package io.preconf.core.engine;

import static io.preconf.core.error.ErrorCode.INVALID_TRANSACTION;
import static io.preconf.core.error.ErrorCode.VALIDATION_FAILED;

import io.preconf.core.error.Reason;
import io.preconf.core.error.Rejection;
import io.preconf.core.error.Result;
import io.preconf.core.rollup.RollupConfig;
import io.preconf.core.rollup.Rollups;
import io.preconf.core.tx.DecodedTransaction;
import io.preconf.core.tx.TxType;
import java.math.BigInteger;
import java.util.Optional;

/**
 * The per-rollup guard clauses a decoded transaction passes before it may hold a lane position.
 * Each returns early with a reason and a sentence naming the bad value, as Besu's transaction
 * validator does.
 */
final class TransactionRules {
  private final Rollups rollups;
  private final EngineConfig config;

  TransactionRules(Rollups rollups, EngineConfig config) {
    this.rollups = rollups;
    this.config = config;
  }

  /** Checked before decoding, so that an oversized payload costs nothing more. */
  Optional<Rejection> checkSize(int rawBytes) {
    if (rawBytes > config.maxTransactionBytes()) {
      return Optional.of(
          Rejection.invalidTransaction(
              Reason.TX_TOO_LARGE,
              "transaction is "
                  + rawBytes
                  + " bytes, above the limit of "
                  + config.maxTransactionBytes()
                  + " bytes"));
    }
    return Optional.empty();
  }

  /** The rollup that serves {@code tx}, once every rule holds. */
  Result<RollupConfig> check(DecodedTransaction tx) {
    Optional<RollupConfig> served = rollups.find(tx.chainId());
    if (served.isEmpty()) {
      return Result.err(rollups.unsupportedChain(INVALID_TRANSACTION, tx.chainId().value()));
    }
    RollupConfig rollup = served.get();
    if (tx.isContractCreation() && tx.dataSize() > config.maxInitCodeBytes()) {
      return Result.err(
          INVALID_TRANSACTION,
          Reason.INIT_CODE_TOO_LARGE,
          "init code is "
              + tx.dataSize()
              + " bytes, above the EIP-3860 limit of "
              + config.maxInitCodeBytes()
              + " bytes");
    }
    if (tx.gasLimit() > rollup.gasLimit()) {
      return Result.err(
          INVALID_TRANSACTION,
          Reason.GAS_LIMIT_EXCEEDED,
          "gas limit "
              + tx.gasLimit()
              + " is above the block gas limit "
              + rollup.gasLimit()
              + " of rollup "
              + rollup.name()
              + " (chain id "
              + rollup.chainId()
              + ")");
    }
    long intrinsicGas = IntrinsicGas.required(tx, rollup.prague());
    if (tx.gasLimit() < intrinsicGas) {
      return Result.err(
          INVALID_TRANSACTION,
          Reason.INTRINSIC_GAS_TOO_LOW,
          "gas limit "
              + tx.gasLimit()
              + " is below the intrinsic gas "
              + intrinsicGas
              + (intrinsicGas > IntrinsicGas.standard(tx)
                  ? " (the EIP-7623 call-data floor of Prague, which rollup "
                      + rollup.name()
                      + " runs)"
                  : "")
              + " the transaction costs before it runs; no block can include it");
    }
    if (tx.maxPriorityFeePerGas().compareTo(tx.maxFeePerGas()) > 0) {
      return Result.err(
          INVALID_TRANSACTION,
          Reason.PRIORITY_FEE_ABOVE_MAX_FEE,
          "maxPriorityFeePerGas "
              + tx.maxPriorityFeePerGas()
              + " wei is above maxFeePerGas "
              + tx.maxFeePerGas()
              + " wei");
    }
    if (upfrontCostExceedsUint256(tx)) {
      String price = tx.type() == TxType.DYNAMIC_FEE ? "maxFeePerGas " : "gasPrice ";
      return Result.err(
          INVALID_TRANSACTION,
          Reason.UPFRONT_COST_EXCEEDS_UINT256,
          "gas limit "
              + tx.gasLimit()
              + " times "
              + price
              + wei(tx.maxFeePerGas())
              + " plus value "
              + wei(tx.value())
              + " is above 2^256 - 1 wei, more than any balance can hold");
    }
    if (tx.maxPriorityFeePerGas().compareTo(rollup.minPriorityFeeWei()) < 0) {
      return Result.err(
          INVALID_TRANSACTION,
          Reason.FEE_TOO_LOW,
          "priority fee "
              + tx.maxPriorityFeePerGas()
              + " wei is below the minimum of "
              + rollup.minPriorityFeeWei()
              + " wei on rollup "
              + rollup.name()
              + " (chain id "
              + rollup.chainId()
              + ")");
    }
    return Result.ok(rollup);
  }

  /**
   * Whether {@code gasLimit * maxFeePerGas + value}, the balance a sender must show, needs more
   * than 256 bits. Operands of at most 255 bits together cannot, which spares ordinary transactions
   * the multiplication.
   */
  private static boolean upfrontCostExceedsUint256(DecodedTransaction tx) {
    int gasBits = Long.SIZE - Long.numberOfLeadingZeros(tx.gasLimit());
    if (gasBits + tx.maxFeePerGas().bitLength() <= 255 && tx.value().bitLength() <= 255) {
      return false;
    }
    return tx.maxCostWei().bitLength() > 256;
  }

  /** Decimal when it fits 64 bits, else hex: a 78-digit decimal reads as noise. */
  private static String wei(BigInteger amount) {
    return (amount.bitLength() <= 64 ? amount.toString() : "0x" + amount.toString(16)) + " wei";
  }

  /**
   * The slots by which inclusion may be promised: the requested one only, or, when none is asked
   * for, from the earliest that leaves the rollup's delivery lead to the end of its lookahead (the
   * lanes take the earliest of these with room). A requested one must lie after the slot in
   * progress and within the lookahead.
   */
  Result<TargetSlots> targetSlots(RollupConfig rollup, Long requested, long nowMs) {
    long current = rollup.slotAt(nowMs);
    if (requested == null) {
      return Result.ok(
          new TargetSlots(rollup.earliestTargetSlot(nowMs), rollup.lastTargetSlot(nowMs)));
    }
    long slot = requested;
    if (slot <= current) {
      return Result.err(
          VALIDATION_FAILED,
          Reason.SLOT_IN_PAST,
          "targetSlot "
              + slot
              + " is not in the future on rollup "
              + rollup.name()
              + " (chain id "
              + rollup.chainId()
              + "), whose current slot is "
              + current);
    }
    if (slot > current + rollup.lookaheadSlots()) {
      return Result.err(
          VALIDATION_FAILED,
          Reason.SLOT_BEYOND_LOOKAHEAD,
          "targetSlot "
              + slot
              + " is beyond the lookahead of rollup "
              + rollup.name()
              + " (chain id "
              + rollup.chainId()
              + "): at most "
              + (current + rollup.lookaheadSlots()));
    }
    return Result.ok(new TargetSlots(slot, slot));
  }
}
