package io.preconf.core.testing;

import io.preconf.core.feed.LaneArchive;
import io.preconf.core.feed.LaneEntry;
import io.preconf.core.feed.LaneLog;
import io.preconf.core.types.ChainId;
import io.smallrye.mutiny.Uni;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lane entries in memory, answering as a {@link LaneLog} or as a {@link LaneArchive}: a test keeps
 * one for each, puts in what the real one would hold (gaps and trimmed history included), and
 * counts how often readers ask.
 */
public final class InMemoryLaneEntries implements LaneLog, LaneArchive {
  private final Map<ChainId, NavigableMap<Long, LaneEntry>> lanes = new ConcurrentHashMap<>();
  private final AtomicInteger reads = new AtomicInteger();

  private NavigableMap<Long, LaneEntry> lane(ChainId chain) {
    return lanes.computeIfAbsent(chain, c -> new ConcurrentSkipListMap<>());
  }

  public InMemoryLaneEntries put(ChainId chain, LaneEntry... entries) {
    for (LaneEntry e : entries) {
      lane(chain).put(e.sequence(), e);
    }
    return this;
  }

  /** What trimming does to a log: every entry before {@code sequence} is gone. */
  public void trimBefore(ChainId chain, long sequence) {
    lane(chain).headMap(sequence, false).clear();
  }

  /** How many reads were made, as a log or as an archive. */
  public int reads() {
    return reads.get();
  }

  @Override
  public Uni<Long> head(ChainId chain) {
    return lastSequence(chain);
  }

  @Override
  public Uni<List<LaneEntry>> read(ChainId chain, long from, int max) {
    return read(chain, from, Long.MAX_VALUE, max);
  }

  @Override
  public Uni<List<LaneEntry>> read(ChainId chain, long from, long to, int max) {
    reads.incrementAndGet();
    if (to < from) {
      return Uni.createFrom().item(List.of());
    }
    return Uni.createFrom()
        .item(lane(chain).subMap(from, true, to, true).values().stream().limit(max).toList());
  }

  @Override
  public Uni<Long> lastSequence(ChainId chain) {
    NavigableMap<Long, LaneEntry> lane = lane(chain);
    return Uni.createFrom().item(lane.isEmpty() ? 0L : lane.lastKey());
  }

  @Override
  public Uni<Void> moveOn(Collection<ChainId> chains) {
    return Uni.createFrom().voidItem(); // entries here never wait: nothing to move on
  }
}
