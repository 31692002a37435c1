package io.preconf.core.testing;

import io.preconf.core.port.Clock;
import java.util.concurrent.atomic.AtomicLong;

/** A clock tests move by hand. */
public final class ManualClock implements Clock {
  private final AtomicLong now;

  public ManualClock(long startMillis) {
    this.now = new AtomicLong(startMillis);
  }

  @Override
  public long nowMillis() {
    return now.get();
  }

  public void advance(long millis) {
    now.addAndGet(millis);
  }
}
