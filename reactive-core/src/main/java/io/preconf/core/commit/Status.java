package io.preconf.core.commit;

/** Where a promise stands (spec section 5, {@code status}). */
public enum Status {
  PRECONFIRMED,
  INCLUDED,
  FINALIZED,
  VIOLATED,
  EXPIRED,
  /**
   * The rollup's node refused the transaction when the engine handed it over, for a reason sending
   * it again will not change (another transaction took its nonce, its fee, its funds); the status
   * change carries the node's words.
   */
  DELIVERY_FAILED
}
