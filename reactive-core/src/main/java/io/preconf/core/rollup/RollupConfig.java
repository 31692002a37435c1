package io.preconf.core.rollup;

import io.preconf.core.error.Reason;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.MalformedValueException;
import java.math.BigInteger;
import java.util.Objects;

/**
 * One served rollup: its chain id, slot clock and the limits its preconfirmations respect. {@link
 * #builder} starts from the defaults every entry point shares.
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
 * @param deliveryLeadMs how long before its target slot starts a promise made without a target slot
 *     is made at least: the time its transaction has to reach the rollup's node
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
    boolean prague,
    long deliveryLeadMs) {

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
    require(deliveryLeadMs > 0, chainId, "deliveryLeadMs", deliveryLeadMs);
  }

  /** A rollup with the default clock and limits; the builder changes any of them. */
  public static Builder builder(ChainId chainId, String name, long genesisTimeMs) {
    return new Builder(chainId, name, genesisTimeMs);
  }

  /**
   * The defaults, then whatever is set: 2 s slots, 32 slots ahead, the limits below, and Prague, as
   * current rollups and anvil run; a delivery lead of one slot.
   */
  public static final class Builder {
    private final ChainId chainId;
    private final String name;
    private final long genesisTimeMs;
    private long slotDurationMs = 2_000;
    private long gasLimit = 30_000_000;
    private BigInteger minPriorityFeeWei = BigInteger.valueOf(1_000_000);
    private int maxPreconfirmationsPerSlot = 1_000;
    private long maxGasPerSlot = 300_000_000;
    private int lookaheadSlots = 32;
    private boolean prague = true;
    private Long deliveryLeadMs;

    private Builder(ChainId chainId, String name, long genesisTimeMs) {
      this.chainId = chainId;
      this.name = name;
      this.genesisTimeMs = genesisTimeMs;
    }

    public Builder slotDurationMs(long value) {
      slotDurationMs = value;
      return this;
    }

    public Builder gasLimit(long value) {
      gasLimit = value;
      return this;
    }

    public Builder minPriorityFeeWei(BigInteger value) {
      minPriorityFeeWei = value;
      return this;
    }

    public Builder maxPreconfirmationsPerSlot(int value) {
      maxPreconfirmationsPerSlot = value;
      return this;
    }

    public Builder maxGasPerSlot(long value) {
      maxGasPerSlot = value;
      return this;
    }

    public Builder lookaheadSlots(int value) {
      lookaheadSlots = value;
      return this;
    }

    public Builder prague(boolean value) {
      prague = value;
      return this;
    }

    public Builder deliveryLeadMs(long value) {
      deliveryLeadMs = value;
      return this;
    }

    public RollupConfig build() {
      return new RollupConfig(
          chainId,
          name,
          genesisTimeMs,
          slotDurationMs,
          gasLimit,
          minPriorityFeeWei,
          maxPreconfirmationsPerSlot,
          maxGasPerSlot,
          lookaheadSlots,
          prague,
          deliveryLeadMs == null ? slotDurationMs : deliveryLeadMs);
    }
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

  /**
   * The slots a promise made at {@code nowMs} may target: after the slot in progress, within the
   * lookahead. Without a requested slot, from the earliest one that starts at least the delivery
   * lead after {@code nowMs}; the lanes then take the earliest of these with room.
   */
  public long earliestTargetSlot(long nowMs) {
    long current = slotAt(nowMs);
    long byLead = slotAt(nowMs + deliveryLeadMs + slotDurationMs - 1);
    return Math.min(Math.max(current + 1, byLead), lastTargetSlot(nowMs));
  }

  /** The last slot a promise made at {@code nowMs} may target: the end of the lookahead. */
  public long lastTargetSlot(long nowMs) {
    return slotAt(nowMs) + lookaheadSlots;
  }

  /** Unix ms at which {@code slot} starts. */
  public long slotStartMs(long slot) {
    return genesisTimeMs + slot * slotDurationMs;
  }
}
