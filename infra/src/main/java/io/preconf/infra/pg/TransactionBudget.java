package io.preconf.infra.pg;

/**
 * How long one write transaction may run: nine tenths of the call's timeout. A caller told "failed"
 * must be able to rely on nothing having been written (it voids the lane positions, and the
 * transactions may come again), so the transaction must not commit after the caller's wait is over:
 * PostgreSQL cancels any statement that runs into the deadline ({@link #statementTimeout}), and the
 * last step refuses to commit once it has passed ({@link #refuseCommitIfOver}). A transaction sent
 * with its commit in one round trip has no last step on this side: its statements are bounded by
 * what is left of the budget when it is sent ({@link #leftMillis}), server side.
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

  /**
   * What is left of the budget now, in milliseconds; fails, so that nothing is sent, once the
   * deadline has passed.
   */
  long leftMillis() {
    long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
    if (left < 1) {
      throw outlasted();
    }
    return left;
  }

  /** Fails, so that the transaction rolls back, once the deadline has passed. */
  void refuseCommitIfOver() {
    if (System.nanoTime() - deadlineNanos > 0) {
      throw outlasted();
    }
  }

  private IllegalStateException outlasted() {
    return new IllegalStateException(
        "the transaction outlasted its " + millis + " ms; nothing of it was committed");
  }
}
