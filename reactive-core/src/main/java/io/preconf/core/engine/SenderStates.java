package io.preconf.core.engine;

import io.preconf.core.error.Result;
import io.preconf.core.node.ChainHead;
import io.preconf.core.node.RollupNode;
import io.preconf.core.node.SenderState;
import io.preconf.core.port.Clock;
import io.preconf.core.port.LaneClaim;
import io.preconf.core.rollup.RollupConfig;
import io.preconf.core.types.Address;
import io.preconf.core.types.ChainId;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The senders of a request's legs as their rollups' nodes hold them, for the rollups whose senders
 * are checked there: each leg gets its {@link LaneClaim.StateCheck} (the sender's nonce and balance
 * at one block, the base fee the chain may reach by the leg's target slot, the leg's cost), which
 * the lane claim judges atomically with the sender's other promises.
 *
 * <p>A node is asked at most once per chain (its head) and once per sender (nonce and balance at
 * that head's block) within {@code reuseFor}, however many requests arrive meanwhile: a burst from
 * one sender costs the node one reading. A reading may be that much behind the node; the claim's
 * reservations make up for the engine's own promises, and a transaction sent to the node past the
 * engine shows within {@code reuseFor}. A reading that failed is not reused.
 *
 * <p>A node that cannot be read refuses the legs of its rollup with its BACKEND_UNAVAILABLE, naming
 * the node: nothing is promised unchecked.
 */
public final class SenderStates {
  /** For an engine that checks no sender on any node. */
  public static final SenderStates NONE =
      new SenderStates(Map.of(), Duration.ofSeconds(1), () -> 0);

  private static final int SWEEP_ABOVE = 10_000;

  private final Map<ChainId, RollupNode> nodes;
  private final long reuseMs;
  private final Clock clock;
  private final Map<Object, Reading<?>> readings = new ConcurrentHashMap<>();

  private record Reading<T>(Uni<T> value, long readAt) {}

  private record SenderKey(ChainId chain, Address sender) {}

  /** What a node said of a sender, and its head at the block both were read at. */
  private record View(ChainHead head, SenderState sender) {}

  /**
   * @param nodes the node of each rollup whose senders are checked
   * @param reuseFor how long one reading of a head or a sender serves
   */
  public SenderStates(Map<ChainId, RollupNode> nodes, Duration reuseFor, Clock clock) {
    this.nodes = Map.copyOf(nodes);
    this.reuseMs = Objects.requireNonNull(reuseFor, "reuseFor").toMillis();
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * The legs, each with its sender's state when its rollup is checked, or refused when its node
   * could not be read; a leg refused already stays as it was.
   *
   * @param holdMs how long a promise reserves its sender's nonce and cost
   */
  Uni<List<Result<Leg>>> check(List<Result<Leg>> legs, long holdMs) {
    List<Uni<Result<Leg>>> each = new ArrayList<>(legs.size());
    boolean any = false;
    for (Result<Leg> r : legs) {
      if (!r.isOk() || !nodes.containsKey(r.value().tx().chainId())) {
        each.add(Uni.createFrom().item(r));
        continue;
      }
      any = true;
      Leg leg = r.value();
      each.add(
          view(leg.tx().chainId(), leg.tx().sender())
              .onItem()
              .transform(v -> Result.ok(paidFor(leg, v).withState(stateCheck(leg, v, holdMs))))
              .onFailure()
              .recoverWithItem(
                  f ->
                      Result.err(
                          BackendFailures.rejection(
                              f, "rollup node of chain " + leg.tx().chainId()))));
    }
    if (!any) {
      return Uni.createFrom().item(legs);
    }
    return Uni.join().all(each).andCollectFailures();
  }

  /**
   * The leg's check: its max fee against the base fee the node's chain may reach by the target
   * slot, one full block per slot from the slot of the node's newest block.
   */
  private static LaneClaim.StateCheck stateCheck(Leg leg, View v, long holdMs) {
    RollupConfig rollup = leg.rollup();
    long headSlot = rollup.slotAt(v.head().timestamp() * 1000);
    long blocks = Math.max(0, leg.targetSlot() - headSlot);
    return new LaneClaim.StateCheck(
        v.sender().nonce(),
        v.sender().balanceWei(),
        BaseFees.worstAfter(v.head().baseFeePerGasWei(), blocks),
        leg.tx().maxFeePerGas(),
        leg.tx().maxCostWei(),
        holdMs);
  }

  /**
   * The leg with its slots cut at the last one its max fee covers the base fee of, one full block
   * per slot from the slot of the node's newest block, so that the lanes never choose a slot the
   * fee cannot reach; a fee that covers not even the first leaves the first, which the claim then
   * refuses (BASE_FEE_TOO_LOW).
   */
  private static Leg paidFor(Leg leg, View v) {
    long headSlot = leg.rollup().slotAt(v.head().timestamp() * 1000);
    long limit = Math.max(0, leg.slots().last() - headSlot);
    long blocks =
        BaseFees.blocksPaidFor(v.head().baseFeePerGasWei(), leg.tx().maxFeePerGas(), limit);
    return leg.upTo(headSlot + blocks);
  }

  private Uni<View> view(ChainId chain, Address sender) {
    RollupNode node = nodes.get(chain);
    return reuse(
        new SenderKey(chain, sender),
        () ->
            reuse(chain, node::head)
                .onItem()
                .transformToUni(
                    head ->
                        node.senderAt(sender, head.number())
                            .onItem()
                            .transform(s -> new View(head, s))));
  }

  /** The reading under {@code key} while it is fresh, else a new one. */
  @SuppressWarnings("unchecked")
  private <T> Uni<T> reuse(Object key, Supplier<Uni<T>> read) {
    long now = clock.nowMillis();
    if (readings.size() > SWEEP_ABOVE) {
      readings.values().removeIf(r -> now - r.readAt() >= reuseMs);
    }
    Reading<?> reading =
        readings.compute(
            key,
            (k, old) -> {
              if (old != null && now - old.readAt() < reuseMs) {
                return old;
              }
              return new Reading<>(
                  Uni.createFrom().<T>deferred(read::get).memoize().indefinitely(), now);
            });
    Reading<T> mine = (Reading<T>) reading;
    return mine.value().onFailure().invoke(() -> readings.remove(key, mine));
  }
}
