package io.preconf.core.engine;

import io.preconf.core.error.Rejection;
import io.preconf.core.port.ClaimGroup;
import io.preconf.core.port.LaneOutcome;
import io.preconf.core.port.LaneSequencer;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;

/**
 * One round of requests: one lane call for all their legs (a group per request, so an atomic one
 * stays all or nothing on its own), the lanes' answers settled per request ({@link
 * LaneSettlement}), then the new positions of all of them issued together ({@link Recorder}). Each
 * request's part of the outcome is its own.
 *
 * <p>Once its positions are claimed the round says so, and the next round may claim while this one
 * signs and records: positions are fixed at the claim, so the lanes' order is the rounds' order.
 * The round's answers are ready once it is recorded; its publish follows, only after {@code turn},
 * the previous round's publish, so that each lane's feed also carries its positions in sequence
 * order.
 */
final class Round {
  private final LaneSequencer lanes;
  private final Recorder recorder;

  /**
   * A request's part of a round.
   *
   * @param settled what the lanes did with each of its legs
   * @param fresh the preconfirmations of its newly assigned legs, or why they have none
   */
  record Answer(LaneSettlement.Settled settled, Issued fresh) {}

  /**
   * A round once recorded.
   *
   * @param answers each entrant's part, in order
   * @param publish the round's publish, started when subscribed to (once, after the answers); it
   *     completes once done (or failed and logged), never before the previous round's, and never
   *     fails
   */
  record Recorded(List<Answer> answers, Uni<Void> publish) {}

  Round(LaneSequencer lanes, Recorder recorder) {
    this.lanes = lanes;
    this.recorder = recorder;
  }

  /**
   * Each entrant's part, once recorded; fails only on a bug.
   *
   * @param turn completes when the previous round has published (or ended)
   * @param marks where the round's stages are timed
   * @param claimed run once the lanes have answered, before anything is signed
   */
  Uni<Recorded> run(
      List<Entrant> entrants, Uni<Void> turn, RoundTrace.Marks marks, Runnable claimed) {
    List<ClaimGroup> groups = new ArrayList<>(entrants.size());
    for (Entrant e : entrants) {
      groups.add(new ClaimGroup(e.claims().legs().stream().map(Leg::claim).toList(), e.atomic()));
    }
    return lanes
        .claimAll(groups)
        .onFailure()
        .recoverWithItem(
            failure -> refusedAll(groups, BackendFailures.rejection(failure, "lane sequencer")))
        .onItem()
        .invoke(claimed)
        .onItem()
        .transform(outcomes -> settle(entrants, outcomes))
        .onItem()
        .transformToUni(
            settled ->
                recorder
                    .issue(batches(entrants, settled), turn, marks)
                    .onItem()
                    .transform(
                        recorded ->
                            new Recorded(answers(settled, recorded.issued()), recorded.publish())));
  }

  private static List<List<LaneOutcome>> refusedAll(List<ClaimGroup> groups, Rejection why) {
    return groups.stream()
        .map(g -> g.claims().stream().<LaneOutcome>map(c -> new LaneOutcome.Refused(why)).toList())
        .toList();
  }

  private static List<LaneSettlement.Settled> settle(
      List<Entrant> entrants, List<List<LaneOutcome>> outcomes) {
    if (outcomes.size() != entrants.size()) {
      throw new IllegalStateException(
          "lane sequencer answered " + outcomes.size() + " groups for " + entrants.size());
    }
    List<LaneSettlement.Settled> settled = new ArrayList<>(entrants.size());
    for (int i = 0; i < entrants.size(); i++) {
      settled.add(LaneSettlement.settle(entrants.get(i).claims(), outcomes.get(i)));
    }
    return settled;
  }

  private static List<CommitmentIssuer.Batch> batches(
      List<Entrant> entrants, List<LaneSettlement.Settled> settled) {
    List<CommitmentIssuer.Batch> batches = new ArrayList<>(entrants.size());
    for (int i = 0; i < entrants.size(); i++) {
      LaneSettlement.Settled s = settled.get(i);
      batches.add(
          new CommitmentIssuer.Batch(entrants.get(i).atomic(), s.assigned(), s.positions()));
    }
    return batches;
  }

  private static List<Answer> answers(List<LaneSettlement.Settled> settled, List<Issued> issued) {
    List<Answer> answers = new ArrayList<>(settled.size());
    for (int i = 0; i < settled.size(); i++) {
      answers.add(new Answer(settled.get(i), issued.get(i)));
    }
    return answers;
  }
}
