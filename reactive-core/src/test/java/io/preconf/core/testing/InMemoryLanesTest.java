package io.preconf.core.testing;

import io.preconf.core.port.LanePosition;
import io.preconf.core.port.LaneSequencer;
import io.preconf.core.port.LaneSequencerContract;
import java.time.Duration;

/** The in-memory lanes the engine's tests run on keep the same rules as the Redis ones. */
class InMemoryLanesTest extends LaneSequencerContract {
  private final ManualClock clock = new ManualClock(EngineFixture.START);
  private final InMemoryLanes lanes = new InMemoryLanes(clock::nowMillis);

  @Override
  protected LaneSequencer lanes() {
    return lanes;
  }

  /** Its claims are stamped with the clock it was given: moving that on ages every claim. */
  @Override
  protected void backdate(LanePosition held, Duration age) {
    clock.advance(age.toMillis());
  }

  @Override
  protected void letPass(Duration time) {
    clock.advance(time.toMillis());
  }
}
