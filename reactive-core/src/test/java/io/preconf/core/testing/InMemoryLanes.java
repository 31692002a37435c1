package io.preconf.core.testing;

import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.Rejection;
import io.preconf.core.port.LaneClaim;
import io.preconf.core.port.LaneOutcome;
import io.preconf.core.port.LanePosition;
import io.preconf.core.port.LaneSequencer;
import io.preconf.core.types.Address;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The lane port's contract in memory, for the core's own tests and benchmarks only. The real
 * sequencer is the Redis adapter in {@code infra}.
 */
public final class InMemoryLanes implements LaneSequencer {
  private final LongSupplier clock;
  private final Map<ChainId, Long> heads = new HashMap<>();
  private final Map<String, Hash32> bySequence = new HashMap<>();
  private final Map<String, Long> byTx = new HashMap<>();
  private final Map<String, Long> claimedAt = new HashMap<>();
  private final Map<String, Hash32> byNonce = new HashMap<>();
  private final Map<String, long[]> slotUse = new HashMap<>();
  private final Set<String> voided = new HashSet<>();
  private long lastReceivedAt;
  private volatile RuntimeException outage;

  public InMemoryLanes(LongSupplier clock) {
    this.clock = clock;
  }

  /** Makes every call fail with {@code failure} until cleared with null. */
  public void failWith(RuntimeException failure) {
    this.outage = failure;
  }

  public synchronized long head(ChainId chainId) {
    return heads.getOrDefault(chainId, 0L);
  }

  public synchronized boolean isVoid(ChainId chainId, long sequence) {
    return voided.contains(chainId + ":" + sequence);
  }

  /** Drops every transaction's and nonce's claim, as Redis does once their time to live lapses. */
  public synchronized void expireClaims() {
    byTx.clear();
    claimedAt.clear();
    byNonce.clear();
  }

  @Override
  public Uni<List<LaneOutcome>> claim(List<LaneClaim> claims, boolean atomic) {
    RuntimeException down = outage;
    if (down != null) {
      return Uni.createFrom().failure(down);
    }
    return Uni.createFrom().item(() -> claimNow(claims, atomic));
  }

  private synchronized List<LaneOutcome> claimNow(List<LaneClaim> claims, boolean atomic) {
    List<LaneOutcome> outcomes = new ArrayList<>(claims.size());
    Map<String, long[]> pendingSlots = new HashMap<>();
    boolean anyRefused = false;
    for (LaneClaim c : claims) {
      if (byTx.containsKey(txKey(c.chainId(), c.txHash()))) {
        outcomes.add(new LaneOutcome.AlreadyPreconfirmed());
        continue;
      }
      Hash32 holder = byNonce.get(nonceKey(c.chainId(), c.sender(), c.nonce()));
      if (holder != null) {
        outcomes.add(
            new LaneOutcome.Refused(
                Rejection.of(
                    ErrorCode.INVALID_TRANSACTION,
                    Reason.NONCE_CONFLICT,
                    "sender " + c.sender() + " nonce " + c.nonce() + " is held by " + holder)));
        anyRefused = true;
        continue;
      }
      String slot = c.chainId() + ":" + c.targetSlot();
      long[] used =
          pendingSlots.computeIfAbsent(slot, k -> slotUse.getOrDefault(k, new long[2]).clone());
      if (used[0] + 1 > c.maxPerSlot() || used[1] + c.gasLimit() > c.maxGasPerSlot()) {
        outcomes.add(
            new LaneOutcome.Refused(
                Rejection.of(
                    ErrorCode.PRECONFIRMATION_GENERATION_FAILED,
                    Reason.SLOT_CAPACITY_EXCEEDED,
                    "slot " + c.targetSlot() + " is full")));
        anyRefused = true;
        continue;
      }
      used[0]++;
      used[1] += c.gasLimit();
      outcomes.add(null);
    }
    if (atomic && anyRefused) {
      outcomes.replaceAll(o -> o == null ? new LaneOutcome.Skipped() : o);
      return outcomes;
    }
    long now = Math.max(lastReceivedAt, clock.getAsLong());
    lastReceivedAt = now;
    for (int i = 0; i < claims.size(); i++) {
      if (outcomes.get(i) != null) {
        continue;
      }
      LaneClaim c = claims.get(i);
      long seq = heads.merge(c.chainId(), 1L, Long::sum);
      Hash32 previous = seq == 1 ? Hash32.ZERO : bySequence.get(c.chainId() + ":" + (seq - 1));
      bySequence.put(c.chainId() + ":" + seq, c.txHash());
      byTx.put(txKey(c.chainId(), c.txHash()), seq);
      claimedAt.put(txKey(c.chainId(), c.txHash()), now);
      byNonce.put(nonceKey(c.chainId(), c.sender(), c.nonce()), c.txHash());
      long[] used = slotUse.computeIfAbsent(c.chainId() + ":" + c.targetSlot(), k -> new long[2]);
      used[0]++;
      used[1] += c.gasLimit();
      outcomes.set(
          i,
          new LaneOutcome.Assigned(new LanePosition(c.chainId(), c.txHash(), seq, previous, now)));
    }
    return outcomes;
  }

  @Override
  public synchronized Uni<Void> abandon(List<LanePosition> positions) {
    for (LanePosition p : positions) {
      voided.add(p.chainId() + ":" + p.sequence());
      byTx.remove(txKey(p.chainId(), p.txHash()));
      claimedAt.remove(txKey(p.chainId(), p.txHash()));
      byNonce.values().removeIf(h -> h.equals(p.txHash()));
    }
    return Uni.createFrom().voidItem();
  }

  @Override
  public synchronized Uni<Optional<LanePosition>> releaseStale(
      ChainId chainId, Hash32 txHash, Duration olderThan) {
    String key = txKey(chainId, txHash);
    Long seq = byTx.get(key);
    if (seq == null || clock.getAsLong() - claimedAt.get(key) <= olderThan.toMillis()) {
      return Uni.createFrom().item(Optional.empty());
    }
    LanePosition stale = new LanePosition(chainId, txHash, seq, Hash32.ZERO, claimedAt.get(key));
    abandon(List.of(stale));
    return Uni.createFrom().item(Optional.of(stale));
  }

  private static String txKey(ChainId chainId, Hash32 txHash) {
    return chainId + ":" + txHash;
  }

  private static String nonceKey(ChainId chainId, Address sender, long nonce) {
    return chainId + ":" + sender + ":" + nonce;
  }
}
