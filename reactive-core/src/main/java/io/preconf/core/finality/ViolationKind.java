package io.preconf.core.finality;

/** How a promise was broken. */
public enum ViolationKind {
  /**
   * The rollup reached a slot after the promised {@code targetSlot} and the transaction was not in
   * any block up to it (or only in a block after the target slot), while the promise was still in
   * force.
   */
  NOT_INCLUDED_BY_TARGET_SLOT,

  /**
   * A transaction with a later lane sequence was included ahead of this one: the promise that
   * nobody would be put in front of it was broken.
   */
  ORDER_REVERSED
}
