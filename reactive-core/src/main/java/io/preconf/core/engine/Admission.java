package io.preconf.core.engine;

import static io.preconf.core.error.ErrorCode.PRECONFIRMATION_GENERATION_FAILED;

import io.preconf.core.error.Reason;
import io.preconf.core.error.Rejection;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bound in front of the rounds. A request is admitted while fewer requests wait than the rounds
 * can serve in time, and refused OVERLOADED at once otherwise, before it has decoded anything or
 * taken a lane position: past the engine's peak, waiting longer only turns answers into timeouts.
 *
 * <p>A request waits from its admission until a round takes it (while it is decoded, its senders
 * read, and while it is queued). The bound is {@link RoundLimits#maxWaiting}, lowered to what the
 * rounds serve within half the preconfirm deadline at the pace measured over recent rounds that
 * left requests queued (the rounds were behind), and never below one full round.
 */
final class Admission {
  /** Weight of the latest round in the measured pace. */
  private static final double PACE_WEIGHT = 0.2;

  private final int cap;
  private final int floor;
  private final long budgetNanos;
  private final AtomicInteger waiting = new AtomicInteger();

  /**
   * Round time per request taken, in nanoseconds, averaged over recent rounds; 0 until measured.
   */
  private volatile double nanosPerRequest;

  Admission(RoundLimits limits, Duration deadline) {
    this.cap = limits.maxWaiting();
    this.floor = Math.min(limits.maxRequests(), limits.maxWaiting());
    this.budgetNanos = deadline.dividedBy(2).toNanos();
  }

  /** A place among the waiting requests, or null when the bound is reached. */
  Ticket admit() {
    int bound = bound();
    for (int now = waiting.get(); now < bound; now = waiting.get()) {
      if (waiting.compareAndSet(now, now + 1)) {
        return new Ticket();
      }
    }
    return null;
  }

  /**
   * A round took {@code requests} and ran for {@code nanos}; {@code full} when it left requests
   * queued. Only such a round measures the pace: one that took everything waiting shows that the
   * rounds keep up, not how many they could serve (a lone request's round, a cold first claim among
   * them, would otherwise set the pace of a whole round to one request's, and a burst arriving
   * behind it would be refused although a round takes hundreds at once).
   */
  void served(int requests, long nanos, boolean full) {
    if (!full) {
      return;
    }
    double per = (double) nanos / requests;
    double before = nanosPerRequest;
    nanosPerRequest = before == 0 ? per : before + PACE_WEIGHT * (per - before);
  }

  /** How many requests may wait now. */
  int bound() {
    double per = nanosPerRequest;
    if (per == 0) {
      return cap;
    }
    double served = budgetNanos / per;
    return (int) Math.max(floor, Math.min(cap, served));
  }

  /** What a request past the bound is told. */
  Rejection overloaded() {
    return Rejection.of(
        PRECONFIRMATION_GENERATION_FAILED,
        Reason.OVERLOADED,
        "the engine already holds "
            + bound()
            + " requests waiting for a round, as many as it can answer in time; nothing was"
            + " taken: retry shortly");
  }

  /** A request's place among the waiting; released when a round takes it or it ends otherwise. */
  final class Ticket {
    private final AtomicBoolean released = new AtomicBoolean();

    /**
     * When the request was admitted ({@link System#nanoTime}), before anything of it is decoded.
     */
    final long admitted = System.nanoTime();

    void release() {
      if (released.compareAndSet(false, true)) {
        waiting.decrementAndGet();
      }
    }
  }
}
