package io.preconf.core.finality;

import io.preconf.core.commit.Finality;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.commit.Status;
import io.preconf.core.commit.TrackedPreconfirmation;
import io.preconf.core.types.Hash32;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An atomic bundle (a commitment signed with {@code atomic: true}) is one promise: every leg under
 * its root is included by its target slot, or the bundle is broken. A leg that missed its target
 * slot breaks every other leg of the bundle, on whatever chain, even one already included. Pure,
 * like {@link Reconciler}: the caller reads the legs and writes the plan this returns.
 *
 * <p>The other legs carry the missing leg's own evidence ({@link
 * ViolationKind#NOT_INCLUDED_BY_TARGET_SLOT}, naming it and the block on its chain that came after
 * its target slot without it): the legs share the signed root, so that evidence, checkable as any
 * missed slot, shows the whole bundle's promise broken.
 */
public final class Bundles {
  private Bundles() {}

  /** The roots of the atomic bundles whose legs a plan shows missed; read their legs. */
  public static Set<Hash32> brokenRoots(ReconcilePlan plan) {
    Set<Hash32> roots = new LinkedHashSet<>();
    for (Violation v : plan.violations()) {
      if (breaksBundle(v)) {
        roots.add(v.preconfirmation().commitment().root());
      }
    }
    return roots;
  }

  /**
   * The plan with every other leg of each bundle it breaks moved to VIOLATED (keeping where it was
   * included, if it was) and a violation for it carrying the missing leg's evidence.
   *
   * @param legs the legs of the bundles {@link #brokenRoots} named, as stored before the plan
   */
  public static ReconcilePlan breakBundles(
      ReconcilePlan plan, Collection<TrackedPreconfirmation> legs) {
    Map<Hash32, TrackedPreconfirmation> now = new LinkedHashMap<>();
    for (TrackedPreconfirmation t : legs) {
      now.put(t.preconfirmation().id(), t);
    }
    for (StatusEffect e : concat(plan.undone(), plan.effects())) {
      TrackedPreconfirmation t = now.get(e.preconfirmationId());
      if (t != null) {
        now.put(
            e.preconfirmationId(),
            new TrackedPreconfirmation(t.preconfirmation(), e.toStatus(), e.toFinality()));
      }
    }
    List<StatusEffect> effects = new ArrayList<>(plan.effects());
    List<Violation> violations = new ArrayList<>(plan.violations());
    for (Violation missed : plan.violations()) {
      if (!breaksBundle(missed)) {
        continue;
      }
      Preconfirmation leg = missed.preconfirmation();
      for (TrackedPreconfirmation other : List.copyOf(now.values())) {
        Preconfirmation p = other.preconfirmation();
        if (!p.commitment().root().equals(leg.commitment().root())
            || p.id().equals(leg.id())
            || other.status() == Status.VIOLATED
            || other.status() == Status.EXPIRED) {
          continue;
        }
        String reason =
            "atomic bundle "
                + leg.commitment().root()
                + " is broken: its leg tx "
                + leg.txHash()
                + " on chain "
                + leg.chainId()
                + " was not included by its target slot "
                + leg.leaf().targetSlot();
        Finality where = other.finality();
        effects.add(StatusEffect.move(p, other, Status.VIOLATED, where, reason));
        violations.add(new Violation(p, missed.blockHash(), missed.evidence()));
        now.put(p.id(), new TrackedPreconfirmation(p, Status.VIOLATED, where));
      }
    }
    return new ReconcilePlan(
        plan.block(),
        plan.expectedVersion(),
        plan.reorg(),
        plan.undone(),
        effects,
        violations,
        plan.at());
  }

  private static boolean breaksBundle(Violation v) {
    return v.kind() == ViolationKind.NOT_INCLUDED_BY_TARGET_SLOT
        && v.preconfirmation().commitment().atomic()
        && v.evidence().preconfirmations().get(0).id().equals(v.preconfirmation().id());
  }

  private static List<StatusEffect> concat(List<StatusEffect> a, List<StatusEffect> b) {
    List<StatusEffect> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
