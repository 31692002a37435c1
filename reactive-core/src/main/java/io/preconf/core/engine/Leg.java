package io.preconf.core.engine;

import io.preconf.core.port.LaneClaim;
import io.preconf.core.rollup.RollupConfig;
import io.preconf.core.tx.DecodedTransaction;

/**
 * One accepted transaction of a request, on its way to a lane.
 *
 * @param state its sender on the rollup's node, for a rollup whose senders are checked there; null
 *     until read, and for a rollup whose are not
 */
record Leg(
    int index,
    DecodedTransaction tx,
    RollupConfig rollup,
    long targetSlot,
    LaneClaim.StateCheck state) {

  Leg(int index, DecodedTransaction tx, RollupConfig rollup, long targetSlot) {
    this(index, tx, rollup, targetSlot, null);
  }

  Leg withState(LaneClaim.StateCheck checked) {
    return new Leg(index, tx, rollup, targetSlot, checked);
  }

  LaneClaim claim() {
    return new LaneClaim(
        tx.chainId(),
        tx.txHash(),
        tx.sender(),
        tx.nonce(),
        tx.gasLimit(),
        targetSlot,
        rollup.maxPreconfirmationsPerSlot(),
        rollup.maxGasPerSlot(),
        state);
  }
}
