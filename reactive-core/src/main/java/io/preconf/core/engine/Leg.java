package io.preconf.core.engine;

import io.preconf.core.port.LaneClaim;
import io.preconf.core.rollup.RollupConfig;
import io.preconf.core.tx.DecodedTransaction;

/** One accepted transaction of a request, on its way to a lane. */
record Leg(int index, DecodedTransaction tx, RollupConfig rollup, long targetSlot) {

  LaneClaim claim() {
    return new LaneClaim(
        tx.chainId(),
        tx.txHash(),
        tx.sender(),
        tx.nonce(),
        tx.gasLimit(),
        targetSlot,
        rollup.maxPreconfirmationsPerSlot(),
        rollup.maxGasPerSlot());
  }
}
