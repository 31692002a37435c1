package io.preconf.core.commit;

/** Where a promise stands (spec section 5, {@code status}). */
public enum Status {
  PRECONFIRMED,
  INCLUDED,
  FINALIZED,
  VIOLATED,
  EXPIRED
}
