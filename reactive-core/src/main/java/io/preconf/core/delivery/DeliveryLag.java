package io.preconf.core.delivery;

import io.preconf.core.port.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How far one lane's delivery is behind its lane, as the forwarder that holds the lane sees it.
 * Read by gauges at any time from any thread; NaN on a process that does not hold the lane, which
 * knows nothing of it.
 */
public final class DeliveryLag {
  private final Clock clock;
  private final AtomicLong holding = new AtomicLong();
  private final AtomicLong head = new AtomicLong();
  private final AtomicLong deliveredThrough = new AtomicLong();
  private final AtomicLong waitingSince = new AtomicLong();

  public DeliveryLag(Clock clock) {
    this.clock = clock;
  }

  /** 1 while this process holds the lane's delivery, else 0. */
  public double holding() {
    return holding.get();
  }

  /** Sequences issued in the lane and not yet delivered. */
  public double sequencesBehind() {
    if (holding.get() == 0) {
      return Double.NaN;
    }
    return Math.max(0, head.get() - deliveredThrough.get());
  }

  /**
   * Milliseconds since the oldest promise not yet delivered was issued (its receivedAt); 0 when
   * nothing waits. While a long backlog drains it may name a promise up to one read batch older
   * than the oldest waiting one.
   */
  public double millisBehind() {
    if (holding.get() == 0) {
      return Double.NaN;
    }
    long since = waitingSince.get();
    return since == 0 ? 0 : Math.max(0, clock.nowMillis() - since);
  }

  void held(long deliveredThrough) {
    this.deliveredThrough.set(deliveredThrough);
    holding.set(1);
  }

  void lost() {
    holding.set(0);
    waitingSince.set(0);
  }

  void head(long head) {
    this.head.set(head);
  }

  /**
   * @param waitingSince the receivedAt of the oldest promise known to wait, 0 when none does
   */
  void delivered(long through, long waitingSince) {
    deliveredThrough.set(through);
    this.waitingSince.set(waitingSince);
  }
}
