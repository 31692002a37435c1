package io.preconf.infra.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TransactionBudgetTest {
  private static TransactionBudget leftMillis(long left) {
    return new TransactionBudget(900, System.nanoTime() + left * 1_000_000);
  }

  @Test
  void statementsSentWithTheirCommitShareWhatIsLeftSoTheyEndBeforeTheDeadline() {
    String timeout = leftMillis(600).statementTimeout(2);

    long each = Long.parseLong(timeout.substring("set local statement_timeout = ".length()));
    assertThat(each).isBetween(290L, 300L);
  }

  @Test
  void aTransactionWhoseBudgetIsSpentIsNotSent() {
    assertThatThrownBy(() -> leftMillis(-5).statementTimeout(2))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("outlasted its 900 ms");
  }
}
