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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Group commit. Requests whose legs are ready to claim join a queue; one round at a time takes what
 * is queued (up to {@link RoundLimits}) and claims its lane positions as one {@link Round}. An idle
 * engine starts a round at once, on the joining thread, so a lone request (a Lambda's one) waits
 * for nothing and takes no extra hop; while a round claims, arriving requests queue and make up the
 * next one, so rounds grow with the load and their requests share one lane call, one signature, one
 * record and one publish.
 *
 * <p>Rounds overlap: once a round's positions are claimed, the next one may claim while it signs,
 * records and publishes, with at most {@value #IN_FLIGHT} rounds past their claim at once. The
 * lanes number positions at the claim, and each round publishes after the one before it has, so
 * every lane is claimed and published in sequence order whatever the overlap. A round's requests
 * are answered once it is recorded, since a promise exists from then on: its publish follows, and
 * no answer waits for it.
 *
 * <p>A round is bounded by the preconfirm deadline: one stuck on a port that never answers is given
 * up (its requests have timed out by then), so that the next one can run.
 */
final class Rounds {
  private static final System.Logger LOG = System.getLogger(Rounds.class.getName());

  /** Rounds past their claim and not yet ended, at most. */
  static final int IN_FLIGHT = 2;

  private final Queue<Entrant> queue = new ConcurrentLinkedQueue<>();
  private final CoalescingPump pump = new CoalescingPump(this::next);
  private final Round round;
  private final Admission admission;
  private final RoundLimits limits;
  private final Duration deadline;
  private final EngineCounters counters;
  private final RoundTrace trace = RoundTrace.whenEnabled();

  /** Guards the counts of rounds in flight below. */
  private final Object slots = new Object();

  private int inFlight;

  /** The round that claimed with every slot taken: its pump run ends when a slot frees. */
  private Run held;

  private long lastEnded;

  /** The end of the latest round started, which the next one publishes after. */
  private volatile CompletableFuture<Void> latest = CompletableFuture.completedFuture(null);

  /** A round as the pump runs it. */
  private final class Run {
    final List<Entrant> taken;

    /** Whether requests were left queued when this round took its own: the rounds were behind. */
    final boolean full;

    final RoundTrace.Marks marks;
    final long started = System.nanoTime();
    final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final AtomicBoolean pumpReleased = new AtomicBoolean();
    boolean claimed;
    boolean over;

    Run(List<Entrant> taken, boolean full, RoundTrace.Marks marks) {
      this.taken = taken;
      this.full = full;
      this.marks = marks;
    }

    /** Ends this round's pump run, once: the next round may start. */
    void releasePump() {
      if (pumpReleased.compareAndSet(false, true)) {
        pump.finished(!queue.isEmpty());
      }
    }
  }

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
              queue.add(new Entrant(atomic, claims, ticket, answer, left, System.nanoTime()));
              pump.request();
            });
  }

  private void next() {
    List<Entrant> taken = take();
    if (taken.isEmpty()) {
      pump.finished(false);
      return;
    }
    Run run = new Run(taken, !queue.isEmpty(), RoundTrace.start(trace, taken));
    Uni<Void> turn = Uni.createFrom().completionStage(latest);
    latest = run.ended;
    round
        .run(taken, turn, run.marks, () -> claimed(run))
        .ifNoItem()
        .after(deadline)
        .on(Timeouts.scheduler())
        .failWith(() -> new RejectedException(stuck()))
        .subscribe()
        .with(
            recorded -> {
              run.marks.mark(RoundTrace.Stage.RECORD);
              counters.round(taken.size(), taken.stream().mapToInt(Entrant::legs).sum());
              List<Round.Answer> answers = recorded.answers();
              for (int i = 0; i < taken.size(); i++) {
                taken.get(i).answer().complete(answers.get(i));
              }
              run.marks.mark(RoundTrace.Stage.ANSWER);
              // Only now: the publish encodes every promise of the round again (the feed's and the
              // cache's entries), work that would otherwise hold the answers on this thread.
              afterPublish(run, recorded.publish());
            },
            failure -> {
              if (!(failure instanceof RejectedException)) {
                LOG.log(System.Logger.Level.ERROR, "a round failed", failure);
              }
              ended(run);
              taken.forEach(e -> e.answer().fail(failure));
            });
  }

  /**
   * Starts {@code run}'s publish and ends the round once it is done. A publish stuck past the
   * deadline (a feed log that never answers) is given up so that later rounds publish and claim;
   * readers fill what it missed from the store.
   */
  private void afterPublish(Run run, Uni<Void> publish) {
    publish
        .ifNoItem()
        .after(deadline)
        .on(Timeouts.scheduler())
        .recoverWithItem(
            () -> {
              LOG.log(
                  System.Logger.Level.WARNING,
                  "a round's feed publish did not complete within "
                      + deadline.toMillis()
                      + " ms; the next rounds publish after it");
              return null;
            })
        .subscribe()
        .with(
            ignored -> {
              run.marks.published();
              ended(run);
            },
            failure -> ended(run));
  }

  /** {@code run}'s positions are claimed: the next round may claim too, while a slot is free. */
  private void claimed(Run run) {
    run.marks.mark(RoundTrace.Stage.CLAIM);
    synchronized (slots) {
      if (run.over) {
        return;
      }
      run.claimed = true;
      inFlight++;
      if (inFlight >= IN_FLIGHT) {
        held = run;
        return;
      }
    }
    run.releasePump();
  }

  /**
   * What is queued, in arrival order, up to a round's bounds; a request that already ended is left
   * out. Only the pump's one run polls the queue (and sets {@link #latest}).
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
   * Frees {@code run}'s slot and lets the next round publish. A round holds its slot until it has
   * published, so that at most {@value #IN_FLIGHT} rounds' publishes queue behind each other. With
   * rounds overlapping, a round's share of the time runs from the later of its start and the
   * previous round's end: the pace admission measures is the rate rounds end at.
   */
  private void ended(Run run) {
    long now = System.nanoTime();
    long since;
    Run release;
    synchronized (slots) {
      since = Math.max(run.started, lastEnded);
      lastEnded = now;
      run.over = true;
      if (run.claimed) {
        inFlight--;
      }
      release = held;
      held = null;
    }
    admission.served(run.taken.size(), now - since, run.full);
    run.ended.complete(null);
    if (release != null) {
      release.releasePump();
    }
    run.releasePump();
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
