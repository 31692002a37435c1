package io.preconf.core.engine;

import static io.preconf.core.error.ErrorCode.PRECONFIRMATION_GENERATION_FAILED;

import io.preconf.core.error.Reason;
import io.preconf.core.error.RejectedException;
import io.preconf.core.error.Rejection;
import io.preconf.core.feed.CoalescingPump;
import io.preconf.core.metrics.EngineCounters;
import io.preconf.core.time.Timeouts;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Group commit. Requests whose legs are ready to claim join a queue; one round at a time takes what
 * is queued (up to {@link RoundLimits}) and runs it as one {@link Round}. An idle engine starts a
 * round at once, on the joining thread, so a lone request (a Lambda's one) waits for nothing and
 * takes no extra hop; while a round runs, arriving requests queue and make up the next one, so
 * rounds grow with the load and their requests share one lane call, one signature, one record and
 * one publish.
 *
 * <p>A round is bounded by the preconfirm deadline: one stuck on a port that never answers is given
 * up (its requests have timed out by then), so that the next one can run.
 */
final class Rounds {
  private static final System.Logger LOG = System.getLogger(Rounds.class.getName());

  private final Queue<Entrant> queue = new ConcurrentLinkedQueue<>();
  private final CoalescingPump pump = new CoalescingPump(this::next);
  private final Round round;
  private final Admission admission;
  private final RoundLimits limits;
  private final Duration deadline;
  private final EngineCounters counters;

  Rounds(
      Round round,
      Admission admission,
      RoundLimits limits,
      Duration deadline,
      EngineCounters counters) {
    this.round = round;
    this.admission = admission;
    this.limits = limits;
    this.deadline = deadline;
    this.counters = counters;
  }

  /** The request's part of the round that takes it. */
  Uni<Round.Answer> join(boolean atomic, LaneSettlement.Claims claims, Admission.Ticket ticket) {
    return Uni.createFrom()
        .emitter(
            answer -> {
              AtomicBoolean left = new AtomicBoolean();
              answer.onTermination(() -> left.set(true));
              queue.add(new Entrant(atomic, claims, ticket, answer, left));
              pump.request();
            });
  }

  private void next() {
    List<Entrant> taken = take();
    if (taken.isEmpty()) {
      pump.finished(false);
      return;
    }
    long started = System.nanoTime();
    round
        .run(taken)
        .ifNoItem()
        .after(deadline)
        .on(Timeouts.scheduler())
        .failWith(() -> new RejectedException(stuck()))
        .subscribe()
        .with(
            answers -> {
              ended(taken, started);
              for (int i = 0; i < taken.size(); i++) {
                taken.get(i).answer().complete(answers.get(i));
              }
            },
            failure -> {
              if (!(failure instanceof RejectedException)) {
                LOG.log(System.Logger.Level.ERROR, "a round failed", failure);
              }
              ended(taken, started);
              taken.forEach(e -> e.answer().fail(failure));
            });
  }

  /**
   * What is queued, in arrival order, up to a round's bounds; a request that already ended is left
   * out. Only the pump's one run polls the queue.
   */
  private List<Entrant> take() {
    List<Entrant> taken = new ArrayList<>();
    int legs = 0;
    Entrant e;
    while (taken.size() < limits.maxRequests() && (e = queue.peek()) != null) {
      if (!taken.isEmpty() && legs + e.legs() > limits.maxLegs()) {
        break;
      }
      queue.poll();
      e.ticket().release();
      if (!e.left().get()) {
        taken.add(e);
        legs += e.legs();
      }
    }
    return taken;
  }

  /**
   * Starts the next round before this one's requests are answered, so that what each answer costs
   * on this thread (its lookups, its JSON) overlaps the next round's lane call.
   */
  private void ended(List<Entrant> taken, long started) {
    admission.served(taken.size(), System.nanoTime() - started);
    counters.round(taken.size(), taken.stream().mapToInt(Entrant::legs).sum());
    pump.finished(!queue.isEmpty());
  }

  private Rejection stuck() {
    return Rejection.of(
        PRECONFIRMATION_GENERATION_FAILED,
        Reason.TIMEOUT,
        "the round holding this request did not complete within "
            + deadline.toMillis()
            + " ms; resubmit: an issued preconfirmation is returned again");
  }
}
