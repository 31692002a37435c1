package io.preconf.infra.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TransactionBudgetTest {
  private static TransactionBudget leftMillis(long left) {
    return new TransactionBudget(900, System.nanoTime() + left * 1_000_000);
  }

  @Test
  void whatIsLeftIsCountedFromTheDeadlineNotFromTheWholeBudget() {
    assertThat(leftMillis(600).leftMillis()).isBetween(590L, 600L);
  }

  @Test
  void aTransactionWhoseBudgetIsSpentIsNotSent() {
    assertThatThrownBy(() -> leftMillis(-5).leftMillis())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("outlasted its 900 ms");
  }
}
