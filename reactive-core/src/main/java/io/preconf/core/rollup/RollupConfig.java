package io.preconf.core.rollup;

import io.preconf.core.error.Reason;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.MalformedValueException;
import java.math.BigInteger;
import java.util.Objects;

/**
 * One served rollup: its chain id, slot clock and the limits its preconfirmations respect.
 *
 * @param genesisTimeMs unix ms at which slot 0 starts
 * @param slotDurationMs length of one slot
 * @param gasLimit the rollup's block gas limit; no transaction may ask for more
 * @param minPriorityFeeWei the lowest priority fee (tip) the engine promises
 * @param maxPreconfirmationsPerSlot how many preconfirmations one slot takes
 * @param maxGasPerSlot how much gas the preconfirmations of one slot may use
 * @param lookaheadSlots how many slots ahead a target slot may lie
 * @param prague whether the rollup runs the Prague fork, whose EIP-7623 calldata floor raises the
 *     least gas a transaction with call data may carry
 */
public record RollupConfig(
    ChainId chainId,
    String name,
    long genesisTimeMs,
    long slotDurationMs,
    long gasLimit,
    BigInteger minPriorityFeeWei,
    int maxPreconfirmationsPerSlot,
    long maxGasPerSlot,
    int lookaheadSlots,
    boolean prague) {

  /** A rollup on Prague, as current rollups and anvil run. */
  public RollupConfig(
      ChainId chainId,
      String name,
      long genesisTimeMs,
      long slotDurationMs,
      long gasLimit,
      BigInteger minPriorityFeeWei,
      int maxPreconfirmationsPerSlot,
      long maxGasPerSlot,
      int lookaheadSlots) {
    this(
        chainId,
        name,
        genesisTimeMs,
        slotDurationMs,
        gasLimit,
        minPriorityFeeWei,
        maxPreconfirmationsPerSlot,
        maxGasPerSlot,
        lookaheadSlots,
        true);
  }

  public RollupConfig {
    Objects.requireNonNull(chainId, "chainId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(minPriorityFeeWei, "minPriorityFeeWei");
    require(genesisTimeMs >= 0, chainId, "genesisTimeMs", genesisTimeMs);
    require(slotDurationMs > 0, chainId, "slotDurationMs", slotDurationMs);
    require(gasLimit > 0, chainId, "gasLimit", gasLimit);
    require(minPriorityFeeWei.signum() >= 0, chainId, "minPriorityFeeWei", minPriorityFeeWei);
    require(
        maxPreconfirmationsPerSlot > 0,
        chainId,
        "maxPreconfirmationsPerSlot",
        maxPreconfirmationsPerSlot);
    require(maxGasPerSlot > 0, chainId, "maxGasPerSlot", maxGasPerSlot);
    require(lookaheadSlots > 0, chainId, "lookaheadSlots", lookaheadSlots);
  }

  private static void require(boolean ok, ChainId chainId, String field, Object value) {
    if (!ok) {
      throw new MalformedValueException(
          Reason.OUT_OF_RANGE,
          "rollup " + chainId + ": " + field + " must be positive, got " + value);
    }
  }

  /** The slot in progress at {@code nowMs}; slot 0 before genesis. */
  public long slotAt(long nowMs) {
    return nowMs <= genesisTimeMs ? 0 : (nowMs - genesisTimeMs) / slotDurationMs;
  }

  /** Unix ms at which {@code slot} starts. */
  public long slotStartMs(long slot) {
    return genesisTimeMs + slot * slotDurationMs;
  }
}
