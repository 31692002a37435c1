package io.preconf.feed.hub;

import io.micrometer.core.instrument.Gauge;
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

  // A registry holds a gauge's object weakly, and reads NaN once it is collected: the lambdas
  // these gauges read are referenced by nothing else, so the gauges hold them strongly.
  void connections(FeedNode node) {
    Gauge.builder("preconf.feed.connections", node, FeedNode::connections)
        .strongReference(true)
        .register(registry);
  }

  void lanePosition(ChainId chain, LongSupplier position) {
    Gauge.builder("preconf.feed.lane.position", position, LongSupplier::getAsLong)
        .tags(Tags.of("chain", chain.toString()))
        .strongReference(true)
        .register(registry);
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
