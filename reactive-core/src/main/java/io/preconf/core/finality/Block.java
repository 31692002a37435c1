package io.preconf.core.finality;

import static io.preconf.core.error.ErrorCode.VALIDATION_FAILED;

import io.preconf.core.error.Reason;
import io.preconf.core.error.Result;
import io.preconf.core.rollup.RollupConfig;
import io.preconf.core.rollup.Rollups;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.preconf.core.types.MalformedValueException;
import io.preconf.core.wire.WireBlock;
import io.preconf.core.wire.WireNumbers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A rollup block as finality sees it: where it sits (number, hash, parent), when (the rollup slot)
 * and which transactions it carries, in order. Built by {@link #parse}, which checks every field
 * against the served rollups.
 *
 * @param transactions transaction hashes in block order; no hash twice
 */
public record Block(
    ChainId chainId,
    long number,
    Hash32 hash,
    Hash32 parentHash,
    long slot,
    List<Hash32> transactions) {

  /** More than any rollup block carries; bounds the work one call can ask for. */
  public static final int MAX_TRANSACTIONS = 100_000;

  public Block {
    Objects.requireNonNull(chainId, "chainId");
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(parentHash, "parentHash");
    transactions = List.copyOf(transactions);
  }

  /**
   * Checks and converts a block from the wire: the chain must be served, the number and slot within
   * 0..2^53-1, hashes 32 bytes of 0x hex, the transaction list present with no hash twice, and
   * exactly one of {@code slot} and {@code timestamp} (unix seconds, turned into the rollup's
   * slot). Every refusal is VALIDATION_FAILED with a reason and a message naming the value.
   */
  public static Result<Block> parse(WireBlock w, Rollups rollups) {
    if (w == null) {
      return missing("block");
    }
    if (w.chainId() == null) {
      return missing("chainId");
    }
    if (w.chainId() <= 0 || w.chainId() > ChainId.MAX) {
      return Result.err(
          VALIDATION_FAILED,
          Reason.OUT_OF_RANGE,
          "chainId must be between 1 and " + ChainId.MAX + ", got " + w.chainId());
    }
    ChainId chainId = ChainId.of(w.chainId());
    var rollup = rollups.find(chainId);
    if (rollup.isEmpty()) {
      return Result.err(rollups.unsupportedChain(VALIDATION_FAILED, chainId.value()));
    }
    if (w.number() == null) {
      return missing("number");
    }
    if (w.number() < 0 || w.number() > WireNumbers.MAX_SAFE) {
      return outOfRange("number", w.number());
    }
    Result<Long> slot = slot(w, rollup.get());
    if (!slot.isOk()) {
      return Result.err(slot.rejection());
    }
    if (w.transactions() == null) {
      return missing("transactions");
    }
    if (w.transactions().size() > MAX_TRANSACTIONS) {
      return Result.err(
          VALIDATION_FAILED,
          Reason.TOO_MANY_TRANSACTIONS,
          "transactions lists "
              + w.transactions().size()
              + " hashes, more than "
              + MAX_TRANSACTIONS);
    }
    try {
      Hash32 hash = hash("hash", w.hash());
      Hash32 parent = hash("parentHash", w.parentHash());
      if (hash.equals(parent)) {
        return Result.err(
            VALIDATION_FAILED,
            Reason.MALFORMED_REQUEST,
            "hash " + hash + " is also given as the block's own parentHash");
      }
      List<Hash32> txs = new ArrayList<>(w.transactions().size());
      Map<Hash32, Integer> seen = new HashMap<>();
      for (int i = 0; i < w.transactions().size(); i++) {
        String name = "transactions[" + i + "]";
        Hash32 tx = hash(name, w.transactions().get(i));
        Integer earlier = seen.putIfAbsent(tx, i);
        if (earlier != null) {
          return Result.err(
              VALIDATION_FAILED,
              Reason.DUPLICATE_IN_REQUEST,
              name + " " + tx + " already appears at transactions[" + earlier + "]");
        }
        txs.add(tx);
      }
      return Result.ok(new Block(chainId, w.number(), hash, parent, slot.value(), txs));
    } catch (MalformedValueException e) {
      return Result.err(VALIDATION_FAILED, e.reason(), e.getMessage());
    }
  }

  private static Result<Long> slot(WireBlock w, RollupConfig rollup) {
    if (w.slot() != null && w.timestamp() != null) {
      return Result.err(
          VALIDATION_FAILED,
          Reason.MALFORMED_REQUEST,
          "give either slot ("
              + w.slot()
              + ") or timestamp ("
              + w.timestamp()
              + "), not both: the slot follows from the timestamp");
    }
    if (w.slot() != null) {
      return w.slot() < 0 || w.slot() > WireNumbers.MAX_SAFE
          ? outOfRange("slot", w.slot())
          : Result.ok(w.slot());
    }
    if (w.timestamp() != null) {
      // Seconds: beyond this the millisecond time no longer fits 53 bits.
      if (w.timestamp() < 0 || w.timestamp() > WireNumbers.MAX_SAFE / 1000) {
        return outOfRange("timestamp", w.timestamp());
      }
      return Result.ok(rollup.slotAt(w.timestamp() * 1000));
    }
    return Result.err(
        VALIDATION_FAILED,
        Reason.MISSING_FIELD,
        "field \"slot\" or \"timestamp\" (unix seconds) is missing");
  }

  private static Hash32 hash(String field, String hex) {
    if (hex == null) {
      throw new MalformedValueException(Reason.MISSING_FIELD, "field \"" + field + "\" is missing");
    }
    return Hash32.fromHex(field, hex);
  }

  private static <T> Result<T> missing(String field) {
    return Result.err(
        VALIDATION_FAILED, Reason.MISSING_FIELD, "field \"" + field + "\" is missing");
  }

  private static <T> Result<T> outOfRange(String field, long value) {
    return Result.err(
        VALIDATION_FAILED,
        Reason.OUT_OF_RANGE,
        "field \"" + field + "\" must be between 0 and 2^53-1, got " + value);
  }

  @Override
  public String toString() {
    return "block " + number + " (" + hash + ") of chain " + chainId;
  }
}
