package io.preconf.core.feed;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs an asynchronous step one at a time however often it is asked for, and once more after a run
 * that was asked for again while it ran: asks that pile up while the step runs are answered by one
 * run, and none is lost. A lane reads its log this way when every publish, wake-up and timer asks
 * it to.
 *
 * <p>The step is started by {@link #request} (or by its caller after {@link #take}), and must end
 * each run with {@link #finished} or {@link #failed}, from whatever thread its work completes on.
 *
 * <p>An ask is counted before the pump checks whether a run is going, so an ask that comes just as
 * a run ends is either seen by that run's {@link #finished} or starts a run itself.
 */
public final class CoalescingPump {
  private final Runnable step;

  /** Asks not yet answered; positive while a run is going. */
  private final AtomicInteger asks = new AtomicInteger();

  /** The asks the current run answers, counted when it began. */
  private volatile int answering;

  /**
   * @param step starts one run; the run ends with {@link #finished} or {@link #failed}
   */
  public CoalescingPump(Runnable step) {
    this.step = step;
  }

  /** Runs the step now if no run is going; otherwise the going run is followed by another. */
  public void request() {
    if (take()) {
      step.run();
    }
  }

  /**
   * Takes the pump for a run the caller makes itself (with what it already holds), as {@link
   * #request} would for the step. False when a run is going: the ask is counted, and that run is
   * followed by another.
   */
  public boolean take() {
    if (asks.getAndIncrement() == 0) {
      answering = 1;
      return true;
    }
    return false;
  }

  /**
   * Ends a run. Runs the step again at once when {@code more} is known to be waiting, or when it
   * was asked for while this run went on.
   *
   * @return whether the step runs again
   */
  public boolean finished(boolean more) {
    if (more) {
      answering = asks.get();
      step.run();
      return true;
    }
    int left = asks.addAndGet(-answering);
    if (left == 0) {
      return false;
    }
    answering = left;
    step.run();
    return true;
  }

  /**
   * Ends a run that failed, letting go of the pump and of the asks made meanwhile: the caller asks
   * again later, when retrying makes sense.
   */
  public void failed() {
    asks.set(0);
  }
}
