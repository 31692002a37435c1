package io.preconf.feed.hub;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.preconf.core.error.Reason;
import io.preconf.core.feed.LaneReader;
import io.preconf.core.types.ChainId;
import java.util.function.LongSupplier;

/** What an operator watches: connections, refusals, cut subscribers, lane progress, gap fills. */
public final class FeedMetrics implements LaneReader.Counters {
  private final MeterRegistry registry;

  public FeedMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void connections(FeedNode node) {
    registry.gauge("preconf.feed.connections", Tags.empty(), node, FeedNode::connections);
  }

  void lanePosition(ChainId chain, LongSupplier position) {
    registry.gauge(
        "preconf.feed.lane.position",
        Tags.of("chain", chain.toString()),
        position,
        LongSupplier::getAsLong);
  }

  void refused(Reason reason) {
    registry.counter("preconf.feed.refused", "reason", reason.name()).increment();
  }

  void cut(String why) {
    registry.counter("preconf.feed.disconnects", "reason", why).increment();
  }

  @Override
  public void filledFromArchive(ChainId chain, int entries) {
    if (entries > 0) {
      registry.counter("preconf.feed.store.entries", "chain", chain.toString()).increment(entries);
    }
  }

  @Override
  public void steppedOver(ChainId chain) {
    registry.counter("preconf.feed.skipped", "chain", chain.toString()).increment();
  }

  /**
   * Live entries a lane dispatched, by how they came: {@code wake} in the node's blocking read
   * itself, {@code read} by reading the log again (a lane behind, or a gap).
   */
  void dispatched(ChainId chain, String via, int entries) {
    if (entries > 0) {
      registry
          .counter("preconf.feed.dispatched", "chain", chain.toString(), "via", via)
          .increment(entries);
    }
  }

  void backendFailure(String step) {
    registry.counter("preconf.feed.backend.failures", "step", step).increment();
  }
}
