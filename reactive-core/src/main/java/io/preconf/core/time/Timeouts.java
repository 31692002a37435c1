package io.preconf.core.time;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

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
 */
public final class Timeouts {
  private static final ScheduledThreadPoolExecutor SCHEDULER = create();

  private Timeouts() {}

  public static ScheduledExecutorService scheduler() {
    return SCHEDULER;
  }

  /** Timers armed and not yet fired or cancelled; for tests and metrics. */
  public static int pending() {
    return SCHEDULER.getQueue().size();
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
