package io.preconf.core.engine;

import static io.preconf.core.error.ErrorCode.PRECONFIRMATION_GENERATION_FAILED;

import io.preconf.core.error.Reason;
import io.preconf.core.error.Rejection;
import io.preconf.core.error.Result;
import io.preconf.core.port.LaneOutcome;
import io.preconf.core.port.LanePosition;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Which legs of a request go to the lanes, and what the lanes' answers mean for each leg. Pure:
 *
 * <ol>
 *   <li>A transaction that failed its checks is refused with its own reason.
 *   <li>In an atomic request, one refused transaction refuses all the others (BUNDLE_REJECTED,
 *       naming the refused indexes) and no lane is asked.
 *   <li>A leg the lanes assigned a position is signed at that position; a leg whose transaction
 *       already held one is answered with its recorded preconfirmation; a leg the lanes refused
 *       keeps their reason.
 *   <li>A leg the lanes skipped (an atomic request in which the lanes refused another leg) is
 *       BUNDLE_REJECTED, naming the legs the lanes refused.
 * </ol>
 */
final class LaneSettlement {
  private LaneSettlement() {}

  /**
   * @param legs the legs to claim positions for, in request order
   * @param rejected the transactions refused before any lane was asked
   */
  record Claims(List<Leg> legs, List<IndexedRejection> rejected) {}

  /**
   * @param assigned the legs that hold new positions, to be signed
   * @param positions the position of each assigned leg, in the same order
   * @param existing the legs whose transactions already held a position
   * @param rejected every leg refused so far, the ones refused before the lanes included
   */
  record Settled(
      List<Leg> assigned,
      List<LanePosition> positions,
      List<Leg> existing,
      List<IndexedRejection> rejected) {}

  /** Rules 1 and 2: the legs to claim for, from each transaction's checks. */
  static Claims claims(boolean atomic, List<Result<Leg>> decoded) {
    List<IndexedRejection> rejected = new ArrayList<>();
    List<Leg> legs = new ArrayList<>(decoded.size());
    for (int i = 0; i < decoded.size(); i++) {
      Result<Leg> r = decoded.get(i);
      if (r.isOk()) {
        legs.add(r.value());
      } else {
        rejected.add(new IndexedRejection(i, r.rejection()));
      }
    }
    if (atomic && !rejected.isEmpty()) {
      List<IndexedRejection> problems = List.copyOf(rejected);
      for (Leg leg : legs) {
        rejected.add(new IndexedRejection(leg.index(), bundleRejected(leg.index(), problems)));
      }
      return new Claims(List.of(), rejected);
    }
    return new Claims(legs, rejected);
  }

  /** Rules 3 and 4: one outcome per claimed leg, in the same order. */
  static Settled settle(Claims claims, List<LaneOutcome> outcomes) {
    List<Leg> legs = claims.legs();
    if (outcomes.size() != legs.size()) {
      throw new IllegalStateException(
          "lane sequencer answered " + outcomes.size() + " outcomes for " + legs.size() + " legs");
    }
    List<Leg> assigned = new ArrayList<>();
    List<LanePosition> positions = new ArrayList<>();
    List<Leg> existing = new ArrayList<>();
    List<IndexedRejection> refusedInLane = new ArrayList<>();
    for (int i = 0; i < legs.size(); i++) {
      Leg leg = legs.get(i);
      LaneOutcome outcome = outcomes.get(i);
      if (outcome instanceof LaneOutcome.Assigned a) {
        assigned.add(leg.at(a.targetSlot()));
        positions.add(a.position());
      } else if (outcome instanceof LaneOutcome.AlreadyPreconfirmed) {
        existing.add(leg);
      } else if (outcome instanceof LaneOutcome.Refused r) {
        refusedInLane.add(new IndexedRejection(leg.index(), r.rejection()));
      }
    }
    List<IndexedRejection> rejected = new ArrayList<>(claims.rejected());
    for (int i = 0; i < legs.size(); i++) {
      if (outcomes.get(i) instanceof LaneOutcome.Skipped) {
        int index = legs.get(i).index();
        rejected.add(new IndexedRejection(index, bundleRejected(index, refusedInLane)));
      }
    }
    rejected.addAll(refusedInLane);
    return new Settled(assigned, positions, existing, rejected);
  }

  private static Rejection bundleRejected(int index, List<IndexedRejection> problems) {
    String indexes =
        problems.stream()
            .map(p -> Integer.toString(p.index()))
            .distinct()
            .collect(Collectors.joining(", "));
    return Rejection.of(
        PRECONFIRMATION_GENERATION_FAILED,
        Reason.BUNDLE_REJECTED,
        "transaction at index "
            + index
            + " was not preconfirmed: the atomic request was refused at index "
            + indexes);
  }
}
