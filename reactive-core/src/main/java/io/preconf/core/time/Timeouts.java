package io.preconf.core.time;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The scheduler every deadline of the engine and its adapters runs on ({@code
 * ifNoItem().after(d).on(Timeouts.scheduler())}).
 *
 * <p>Mutiny's default scheduler keeps a cancelled timer queued until its delay has passed, then
 * hands the no-op to a cached thread pool. Each request arms a 30 s deadline and almost always
 * cancels it within milliseconds, so under load that default holds tens of thousands of dead timers
 * and wakes threads to discard them. Here a cancelled timer leaves the queue at once, and the one
 * timer thread is a daemon that never keeps a process alive. A deadline that does fire completes
 * its request on that thread, so what follows a timeout must be quick and never block.
 *
 * <p>A timer that becomes the first of the queue wakes the timer thread, which must wait for it
 * instead; with requests one at a time the queue is empty between them, so each request's deadline,
 * and its round's publish deadline, woke that thread only for it to sleep again: two context
 * switches per request for timers that never fire. A tick every {@link #TICK} stays first of the
 * queue instead, so a deadline further away than that goes in behind it and wakes nobody; the
 * thread wakes once per tick, and a deadline still fires on time (once the tick has passed it, it
 * is first and waited for exactly).
 */
public final class Timeouts {
  /** How often the timer thread wakes whatever is armed; deadlines beyond it wake it no more. */
  static final Duration TICK = Duration.ofSeconds(1);

  private static final ScheduledThreadPoolExecutor SCHEDULER = create();
  private static final ScheduledFuture<?> TICKER =
      SCHEDULER.scheduleAtFixedRate(() -> {}, TICK.toNanos(), TICK.toNanos(), TimeUnit.NANOSECONDS);

  private Timeouts() {}

  public static ScheduledExecutorService scheduler() {
    return SCHEDULER;
  }

  /** Timers armed and not yet fired or cancelled (the tick aside); for tests and metrics. */
  public static int pending() {
    int n = 0;
    for (Runnable queued : SCHEDULER.getQueue()) {
      if (queued != TICKER) {
        n++;
      }
    }
    return n;
  }

  private static ScheduledThreadPoolExecutor create() {
    ScheduledThreadPoolExecutor s =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "preconf-timeouts");
              t.setDaemon(true);
              return t;
            });
    s.setRemoveOnCancelPolicy(true);
    s.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    return s;
  }
}
