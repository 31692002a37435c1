package io.preconf.core.reconcile;

import io.preconf.core.commit.StatusChange;
import io.preconf.core.error.Rejection;
import io.preconf.core.finality.Block;
import io.preconf.core.finality.ReconcilePlan;
import io.preconf.core.finality.Reorg;
import io.preconf.core.finality.Violation;
import java.util.List;
import java.util.Objects;

/**
 * What reconciling one block did.
 *
 * @param block the block, or null when it could not even be read
 * @param reorg the reorg it made, or null
 * @param changes the status changes it made, in order (also what the feed announced)
 * @param violations the violations it found, with evidence
 * @param error why nothing was done, for {@link Outcome#REFUSED}; else null
 */
public record ReconcileResult(
    Outcome outcome,
    Block block,
    Reorg reorg,
    List<StatusChange> changes,
    List<Violation> violations,
    Rejection error) {

  public enum Outcome {
    /** The block was placed and judged. */
    APPLIED,
    /** The block was already canonical: nothing changed. */
    DUPLICATE,
    /** The block could not be placed; see {@link #error()}. */
    REFUSED
  }

  public ReconcileResult {
    Objects.requireNonNull(outcome, "outcome");
    changes = List.copyOf(changes);
    violations = List.copyOf(violations);
  }

  static ReconcileResult applied(ReconcilePlan plan) {
    return new ReconcileResult(
        Outcome.APPLIED, plan.block(), plan.reorg(), plan.changes(), plan.violations(), null);
  }

  static ReconcileResult duplicate(Block block) {
    return new ReconcileResult(Outcome.DUPLICATE, block, null, List.of(), List.of(), null);
  }

  public static ReconcileResult refused(Block block, Rejection why) {
    return new ReconcileResult(
        Outcome.REFUSED, block, null, List.of(), List.of(), Objects.requireNonNull(why));
  }
}
