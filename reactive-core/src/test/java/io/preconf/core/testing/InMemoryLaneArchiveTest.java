package io.preconf.core.testing;

import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.feed.LaneArchive;
import io.preconf.core.feed.LaneArchiveContract;
import io.preconf.core.feed.LaneEntry;
import io.preconf.core.port.LanePosition;
import java.util.List;

/** The in-memory entries the feed's tests read answer as PostgreSQL's archive does. */
class InMemoryLaneArchiveTest extends LaneArchiveContract {
  private final InMemoryLaneEntries entries = new InMemoryLaneEntries();

  @Override
  protected LaneArchive archive() {
    return entries;
  }

  @Override
  protected void recorded(List<Preconfirmation> issued) {
    for (Preconfirmation p : issued) {
      entries.put(p.chainId(), Samples.entry(p));
    }
  }

  @Override
  protected void voided(List<LanePosition> positions) {
    for (LanePosition p : positions) {
      entries.put(p.chainId(), new LaneEntry.Void(p.sequence(), p.txHash()));
    }
  }
}
