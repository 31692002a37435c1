package io.preconf.core.testing;

import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.feed.LaneLog;
import io.preconf.core.feed.LaneLogContract;
import io.preconf.core.port.LanePosition;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import java.util.ArrayList;
import java.util.List;

/** The in-memory entries the feed's tests read answer as the Redis log does. */
class InMemoryLaneLogTest extends LaneLogContract {
  private final InMemoryLaneEntries entries = new InMemoryLaneEntries();

  @Override
  protected LaneLog log() {
    return entries;
  }

  @Override
  protected List<Preconfirmation> issue(ChainId chain, int n) {
    List<Preconfirmation> out = new ArrayList<>();
    Hash32 previous = Hash32.ZERO;
    for (int sequence = 1; sequence <= n; sequence++) {
      LanePosition at =
          new LanePosition(
              chain, Samples.randomHash(), sequence, previous, System.currentTimeMillis());
      out.add(Samples.preconfirmation(at, Samples.randomAddress(), 0));
      previous = at.txHash();
    }
    return out;
  }

  @Override
  protected void publish(List<Preconfirmation> issued) {
    for (Preconfirmation p : issued) {
      entries.put(p.chainId(), Samples.entry(p));
    }
  }
}
