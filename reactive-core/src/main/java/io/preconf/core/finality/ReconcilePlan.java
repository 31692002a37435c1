package io.preconf.core.finality;

import io.preconf.core.commit.StatusChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything one block changes, computed before anything is written, so that the ledger can write
 * it in one transaction.
 *
 * @param expectedVersion the chain version the plan was computed against; the ledger refuses the
 *     write if the chain moved since
 * @param reorg the reorg the block makes, or null
 * @param undone what the orphaned blocks' effects are undone with, newest first
 * @param effects what the block itself does, in order
 * @param violations the promises the block shows broken
 * @param at unix ms of the reconciliation
 */
public record ReconcilePlan(
    Block block,
    long expectedVersion,
    Reorg reorg,
    List<StatusEffect> undone,
    List<StatusEffect> effects,
    List<Violation> violations,
    long at) {

  public ReconcilePlan {
    Objects.requireNonNull(block, "block");
    undone = List.copyOf(undone);
    effects = List.copyOf(effects);
    violations = List.copyOf(violations);
  }

  /** The status changes the feed announces: undone ones first, then the block's own, in order. */
  public List<StatusChange> changes() {
    List<StatusChange> out = new ArrayList<>(undone.size() + effects.size());
    for (StatusEffect e : undone) {
      if (e.changesStatus()) {
        out.add(e.toChange(at));
      }
    }
    for (StatusEffect e : effects) {
      if (e.changesStatus()) {
        out.add(e.toChange(at));
      }
    }
    return out;
  }

  public ReconcilePlan withViolations(List<Violation> replaced) {
    return new ReconcilePlan(block, expectedVersion, reorg, undone, effects, replaced, at);
  }
}
