package io.preconf.core.delivery;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@link LaneForwarder}'s steps one after another, each after the wait the last one asked
 * for, until closed. The steps do their I/O asynchronously; the scheduler's thread only starts
 * them.
 */
public final class DeliveryLoop {
  private static final System.Logger LOG = System.getLogger(DeliveryLoop.class.getName());

  private final LaneForwarder forwarder;
  private final ScheduledExecutorService scheduler;
  private final Duration afterBug;
  private boolean closed;
  private ScheduledFuture<?> next;
  private CompletableFuture<Void> running = CompletableFuture.completedFuture(null);

  /**
   * @param afterBug the wait after a step that failed, which {@link LaneForwarder#step} never does
   *     unless it has a bug
   */
  public DeliveryLoop(
      LaneForwarder forwarder, ScheduledExecutorService scheduler, Duration afterBug) {
    this.forwarder = forwarder;
    this.scheduler = scheduler;
    this.afterBug = afterBug;
  }

  public synchronized void start() {
    schedule(Duration.ZERO);
  }

  private synchronized void schedule(Duration wait) {
    if (!closed) {
      next = scheduler.schedule(this::run, wait.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void run() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    synchronized (this) {
      if (closed) {
        return;
      }
      running = done;
    }
    forwarder
        .step()
        .subscribe()
        .with(
            wait -> {
              done.complete(null);
              schedule(wait);
            },
            failure -> {
              LOG.log(System.Logger.Level.ERROR, "a delivery step failed", failure);
              done.complete(null);
              schedule(afterBug);
            });
  }

  /**
   * Stops the steps, lets a running one finish, then releases the lane (see {@link
   * LaneForwarder#release}).
   */
  public Uni<Void> close() {
    CompletableFuture<Void> last;
    synchronized (this) {
      closed = true;
      if (next != null) {
        next.cancel(false);
      }
      last = running;
    }
    return Uni.createFrom().completionStage(last).chain(forwarder::release);
  }
}
