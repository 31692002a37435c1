package io.preconf.core.testing;

import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.Rejection;
import io.preconf.core.port.ClaimGroup;
import io.preconf.core.port.LaneClaim;
import io.preconf.core.port.LaneOutcome;
import io.preconf.core.port.LanePosition;
import io.preconf.core.port.LaneSequencer;
import io.preconf.core.port.SenderBook;
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
 * sequencer is the Redis adapter in {@code infra}; {@code LaneSequencerContract} holds both to the
 * same rules, refusal messages included, the senders' nonces and balances ({@link SenderBook}) too.
 */
public final class InMemoryLanes implements LaneSequencer {
  private final LongSupplier clock;
  private final Map<ChainId, LanePosition> heads = new HashMap<>();
  private final Map<String, Held> byTx = new HashMap<>();
  private final Map<String, LanePosition> byNonce = new HashMap<>();
  private final Map<String, long[]> slotUse = new HashMap<>();
  private final Set<String> voided = new HashSet<>();
  private final Map<String, Map<Long, SenderBook.Held>> heldBySender = new HashMap<>();
  private long lastReceivedAt;
  private volatile RuntimeException outage;

  /** What a transaction holds: its position and what it took from its nonce and its slot. */
  private record Held(LanePosition position, Address sender, long nonce, String slot, long gas) {}

  public InMemoryLanes(LongSupplier clock) {
    this.clock = clock;
  }

  /** Makes every call fail with {@code failure} until cleared with null. */
  public void failWith(RuntimeException failure) {
    this.outage = failure;
  }

  public synchronized long head(ChainId chainId) {
    LanePosition head = heads.get(chainId);
    return head == null ? 0 : head.sequence();
  }

  public synchronized boolean isVoid(ChainId chainId, long sequence) {
    return voided.contains(chainId + ":" + sequence);
  }

  /** Drops every transaction's and nonce's claim, as Redis does once their time to live lapses. */
  public synchronized void expireClaims() {
    byTx.clear();
    byNonce.clear();
  }

  @Override
  public Uni<List<List<LaneOutcome>>> claimAll(List<ClaimGroup> groups) {
    RuntimeException down = outage;
    if (down != null) {
      return Uni.createFrom().failure(down);
    }
    return Uni.createFrom().item(() -> claimGroups(groups));
  }

  /** Each group as its own call would be, in order, in one step nothing interleaves with. */
  private synchronized List<List<LaneOutcome>> claimGroups(List<ClaimGroup> groups) {
    List<List<LaneOutcome>> out = new ArrayList<>(groups.size());
    for (ClaimGroup g : groups) {
      out.add(claimNow(g.claims(), g.atomic()));
    }
    return out;
  }

  /** Checks every leg before taking anything, counting what earlier legs of the request take. */
  private synchronized List<LaneOutcome> claimNow(List<LaneClaim> claims, boolean atomic) {
    List<LaneOutcome> outcomes = new ArrayList<>(claims.size());
    Set<String> takenTx = new HashSet<>();
    Map<String, Hash32> takenNonce = new HashMap<>();
    Map<String, long[]> pendingSlots = new HashMap<>();
    Map<String, SenderBook> books = new HashMap<>();
    Map<String, Long> chosen = new HashMap<>();
    boolean anyRefused = false;
    for (LaneClaim c : claims) {
      LaneOutcome early = check(c, takenTx, takenNonce, pendingSlots, books, chosen);
      if (early instanceof LaneOutcome.Refused) {
        anyRefused = true;
      }
      outcomes.add(early);
    }
    if (atomic && anyRefused) {
      outcomes.replaceAll(o -> o == null ? new LaneOutcome.Skipped() : o);
      return outcomes;
    }
    long now = Math.max(lastReceivedAt, clock.getAsLong());
    lastReceivedAt = now;
    for (int i = 0; i < claims.size(); i++) {
      if (outcomes.get(i) == null) {
        LaneClaim c = claims.get(i);
        long slot = chosen.get(txKey(c.chainId(), c.txHash()));
        outcomes.set(i, new LaneOutcome.Assigned(assign(c, slot, now), slot));
      }
    }
    return outcomes;
  }

  /**
   * The outcome of a leg that gets no position (held already, or refused), or null when it may have
   * one: what it takes is then counted against the legs after it.
   */
  private LaneOutcome check(
      LaneClaim c,
      Set<String> takenTx,
      Map<String, Hash32> takenNonce,
      Map<String, long[]> pendingSlots,
      Map<String, SenderBook> books,
      Map<String, Long> chosen) {
    String tx = txKey(c.chainId(), c.txHash());
    if (byTx.containsKey(tx)) {
      return new LaneOutcome.AlreadyPreconfirmed();
    }
    if (takenTx.contains(tx)) {
      return refused(
          Reason.DUPLICATE_IN_REQUEST,
          "tx "
              + c.txHash().toHex()
              + " on chain "
              + c.chainId()
              + " appears more than once in this request");
    }
    String nonce = nonceKey(c.chainId(), c.sender(), c.nonce());
    String whose =
        "sender " + c.sender().toHex() + " nonce " + c.nonce() + " on chain " + c.chainId();
    LanePosition holder = byNonce.get(nonce);
    if (holder != null) {
      return new LaneOutcome.Refused(
          SenderBook.nonceConflict(c, holder.txHash(), holder.sequence()));
    }
    Hash32 earlier = takenNonce.get(nonce);
    if (earlier != null) {
      return refused(
          Reason.NONCE_CONFLICT,
          whose + " is already claimed by tx " + earlier.toHex() + " earlier in this request");
    }
    SenderBook book = null;
    if (c.state() != null) {
      book =
          books.computeIfAbsent(
              senderKey(c.chainId(), c.sender()),
              k ->
                  SenderBook.of(
                      c.state(),
                      heldBySender.getOrDefault(k, Map.of()).values(),
                      clock.getAsLong()));
      Optional<Rejection> why = book.judge(c);
      if (why.isPresent()) {
        return new LaneOutcome.Refused(why.get());
      }
    }
    long slot = c.targetSlot();
    long[] used = slotUse(pendingSlots, c, slot);
    while (!fits(c, used) && slot < c.lastSlot()) {
      slot++;
      used = slotUse(pendingSlots, c, slot);
    }
    if (!fits(c, used) && c.lastSlot() > c.targetSlot()) {
      return refused(
          Reason.SLOT_CAPACITY_EXCEEDED,
          "no slot from "
              + c.targetSlot()
              + " to "
              + c.lastSlot()
              + " on chain "
              + c.chainId()
              + " has room for tx "
              + c.txHash().toHex()
              + " ("
              + c.gasLimit()
              + " gas; "
              + c.maxPerSlot()
              + " preconfirmations and "
              + c.maxGasPerSlot()
              + " gas per slot)");
    }
    String where = "slot " + c.targetSlot() + " on chain " + c.chainId();
    if (used[0] + 1 > c.maxPerSlot()) {
      return refused(
          Reason.SLOT_CAPACITY_EXCEEDED,
          where + " already holds " + used[0] + " of its " + c.maxPerSlot() + " preconfirmations");
    }
    if (used[1] + c.gasLimit() > c.maxGasPerSlot()) {
      return refused(
          Reason.SLOT_CAPACITY_EXCEEDED,
          "tx "
              + c.txHash().toHex()
              + " needs "
              + c.gasLimit()
              + " gas but "
              + where
              + " has "
              + (c.maxGasPerSlot() - used[1])
              + " of its "
              + c.maxGasPerSlot()
              + " gas left");
    }
    chosen.put(tx, slot);
    used[0]++;
    used[1] += c.gasLimit();
    takenTx.add(tx);
    takenNonce.put(nonce, c.txHash());
    if (book != null) {
      book.hold(new SenderBook.Held(c.nonce(), c.txHash(), 0, c.state().costWei(), Long.MAX_VALUE));
    }
    return null;
  }

  /** What slot {@code slot} of the claim's chain holds, counting this request's takes so far. */
  private long[] slotUse(Map<String, long[]> pending, LaneClaim c, long slot) {
    return pending.computeIfAbsent(
        slotKey(c.chainId(), slot), k -> slotUse.getOrDefault(k, new long[2]).clone());
  }

  private static boolean fits(LaneClaim c, long[] used) {
    return used[0] + 1 <= c.maxPerSlot() && used[1] + c.gasLimit() <= c.maxGasPerSlot();
  }

  /** As {@code RedisLaneSequencer} codes them: a full slot is the engine's, the rest the tx's. */
  private static LaneOutcome refused(Reason reason, String message) {
    return new LaneOutcome.Refused(
        reason == Reason.SLOT_CAPACITY_EXCEEDED
            ? Rejection.of(ErrorCode.PRECONFIRMATION_GENERATION_FAILED, reason, message)
            : Rejection.invalidTransaction(reason, message));
  }

  private LanePosition assign(LaneClaim c, long targetSlot, long now) {
    LanePosition head = heads.get(c.chainId());
    LanePosition p =
        head == null
            ? new LanePosition(c.chainId(), c.txHash(), 1, Hash32.ZERO, now)
            : new LanePosition(c.chainId(), c.txHash(), head.sequence() + 1, head.txHash(), now);
    heads.put(c.chainId(), p);
    String slot = slotKey(c.chainId(), targetSlot);
    byTx.put(
        txKey(c.chainId(), c.txHash()), new Held(p, c.sender(), c.nonce(), slot, c.gasLimit()));
    byNonce.put(nonceKey(c.chainId(), c.sender(), c.nonce()), p);
    long[] used = slotUse.computeIfAbsent(slot, k -> new long[2]);
    used[0]++;
    used[1] += c.gasLimit();
    if (c.state() != null) {
      hold(c, p, now);
    }
    return p;
  }

  /** Reserves the leg's nonce and cost, dropping the sender's spent promises. */
  private void hold(LaneClaim c, LanePosition p, long now) {
    Map<Long, SenderBook.Held> held =
        heldBySender.computeIfAbsent(senderKey(c.chainId(), c.sender()), k -> new HashMap<>());
    held.values().removeIf(h -> h.isSpent(c.state().nodeNonce(), now));
    SenderBook.Held before = held.get(c.nonce());
    if (before != null && before.txHash().equals(c.txHash())) {
      return; // the transaction's own reservation, from before its claim lapsed, stands
    }
    held.put(
        c.nonce(),
        new SenderBook.Held(
            c.nonce(), c.txHash(), p.sequence(), c.state().costWei(), now + c.state().holdMs()));
  }

  /**
   * Voids each position still held at exactly its sequence: a repeated or late call cannot release
   * what a newer submission of the same transaction holds.
   */
  @Override
  public synchronized Uni<Void> abandon(List<LanePosition> positions) {
    for (LanePosition p : positions) {
      String tx = txKey(p.chainId(), p.txHash());
      Held held = byTx.get(tx);
      if (held == null || held.position().sequence() != p.sequence()) {
        continue;
      }
      byTx.remove(tx);
      byNonce.remove(nonceKey(p.chainId(), held.sender(), held.nonce()), held.position());
      long[] used = slotUse.get(held.slot());
      used[0] = Math.max(0, used[0] - 1);
      used[1] = Math.max(0, used[1] - held.gas());
      voided.add(p.chainId() + ":" + p.sequence());
      Map<Long, SenderBook.Held> reserved = heldBySender.get(senderKey(p.chainId(), held.sender()));
      SenderBook.Held mine = reserved == null ? null : reserved.get(held.nonce());
      if (mine != null && mine.txHash().equals(p.txHash()) && mine.sequence() == p.sequence()) {
        reserved.remove(held.nonce());
      }
    }
    return Uni.createFrom().voidItem();
  }

  @Override
  public synchronized Uni<Optional<LanePosition>> releaseStale(
      ChainId chainId, Hash32 txHash, Duration olderThan) {
    Held held = byTx.get(txKey(chainId, txHash));
    if (held == null || clock.getAsLong() - held.position().receivedAt() <= olderThan.toMillis()) {
      return Uni.createFrom().item(Optional.empty());
    }
    LanePosition p = held.position();
    LanePosition stale =
        new LanePosition(chainId, txHash, p.sequence(), Hash32.ZERO, p.receivedAt());
    abandon(List.of(stale));
    return Uni.createFrom().item(Optional.of(stale));
  }

  /**
   * These lanes see no records (a position stays held after its record, as in Redis until its claim
   * lapses), so every held position older than the bound counts as open: only for tests that record
   * nothing on the chain swept.
   */
  @Override
  public synchronized Uni<List<LanePosition>> sweep(ChainId chainId, Duration olderThan) {
    long before = clock.getAsLong() - olderThan.toMillis();
    List<LanePosition> old =
        byTx.values().stream()
            .map(Held::position)
            .filter(p -> p.chainId().equals(chainId) && p.receivedAt() < before)
            .toList();
    abandon(old);
    return Uni.createFrom().item(old);
  }

  private static String txKey(ChainId chainId, Hash32 txHash) {
    return chainId + ":" + txHash;
  }

  private static String nonceKey(ChainId chainId, Address sender, long nonce) {
    return chainId + ":" + sender + ":" + nonce;
  }

  private static String senderKey(ChainId chainId, Address sender) {
    return chainId + ":" + sender;
  }

  private static String slotKey(ChainId chain, long slot) {
    return chain + ":" + slot;
  }
}
