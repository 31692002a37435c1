package io.preconf.core.engine;

import io.preconf.core.port.LaneClaim;
import io.preconf.core.rollup.RollupConfig;
import io.preconf.core.tx.DecodedTransaction;

/**
 * One accepted transaction of a request, on its way to a lane.
 *
 * @param slots the slots it may be promised for; one once its lane chose
 * @param state its sender on the rollup's node, for a rollup whose senders are checked there; null
 *     until read, and for a rollup whose are not
 */
record Leg(
    int index,
    DecodedTransaction tx,
    RollupConfig rollup,
    TargetSlots slots,
    LaneClaim.StateCheck state) {

  Leg(int index, DecodedTransaction tx, RollupConfig rollup, TargetSlots slots) {
    this(index, tx, rollup, slots, null);
  }

  /** The slot by which its inclusion is promised, once its lane chose (the first one before). */
  long targetSlot() {
    return slots.first();
  }

  Leg withState(LaneClaim.StateCheck checked) {
    return new Leg(index, tx, rollup, slots, checked);
  }

  /** The leg with its slots cut at {@code slot}, the latest its fee can pay for. */
  Leg upTo(long slot) {
    return new Leg(index, tx, rollup, slots.upTo(slot), state);
  }

  /** The leg promised for {@code slot}, the one its lane chose. */
  Leg at(long slot) {
    return new Leg(index, tx, rollup, new TargetSlots(slot, slot), state);
  }

  LaneClaim claim() {
    return new LaneClaim(
        tx.chainId(),
        tx.txHash(),
        tx.sender(),
        tx.nonce(),
        tx.gasLimit(),
        slots.first(),
        slots.last(),
        rollup.maxPreconfirmationsPerSlot(),
        rollup.maxGasPerSlot(),
        state);
  }
}
