package io.preconf.feed;

import io.preconf.core.rollup.RollupConfig;
import io.preconf.core.rollup.Rollups;
import io.preconf.core.types.ChainId;
import java.util.List;
import java.util.function.Supplier;

/**
 * Which chains the feed serves: {@code preconf.feed.chains} when set, else the rollups the
 * functions are configured with, read alike (by infra's {@code RollupSettings}), so one
 * configuration serves both.
 */
final class ServedChains {
  private ServedChains() {}

  /**
   * @param rollups the configured rollups, read only when {@code preconf.feed.chains} is not set
   */
  static List<ChainId> from(FeedConfig feed, Supplier<Rollups> rollups) {
    if (feed.chains().isPresent() && !feed.chains().get().isEmpty()) {
      return feed.chains().get().stream().map(ChainId::of).distinct().toList();
    }
    return rollups.get().all().stream().map(RollupConfig::chainId).toList();
  }
}
