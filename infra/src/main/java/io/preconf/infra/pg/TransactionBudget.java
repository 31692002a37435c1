package io.preconf.infra.pg;

/**
 * How long one write transaction may run: nine tenths of the call's timeout. A caller told "failed"
 * must be able to rely on nothing having been written (it voids the lane positions, and the
 * transactions may come again), so the transaction must not commit after the caller's wait is over:
 * PostgreSQL cancels any statement that runs into the deadline ({@link #statementTimeout}), and the
 * last step refuses to commit once it has passed ({@link #refuseCommitIfOver}).
 */
record TransactionBudget(long millis, long deadlineNanos) {

  /** Starts the clock now. */
  static TransactionBudget of(PgCalls pg) {
    long millis = pg.timeout().toMillis() * 9 / 10;
    return new TransactionBudget(millis, System.nanoTime() + millis * 1_000_000);
  }

  /** The statement that bounds each statement of the transaction by the budget. */
  String statementTimeout() {
    return "set local statement_timeout = " + millis;
  }

  /** Fails, so that the transaction rolls back, once the deadline has passed. */
  void refuseCommitIfOver() {
    if (System.nanoTime() - deadlineNanos > 0) {
      throw new IllegalStateException(
          "the transaction outlasted its " + millis + " ms and was rolled back");
    }
  }
}
