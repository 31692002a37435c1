package io.preconf.feed;

import io.preconf.core.rollup.RollupConfig;
import io.preconf.core.types.ChainId;
import io.preconf.infra.config.RollupSettings;
import java.util.List;

/**
 * Which chains the feed serves: {@code preconf.feed.chains} when set, else the rollups the
 * functions are configured with, read alike by {@link RollupSettings}, so one configuration serves
 * both.
 */
final class ServedChains {
  private ServedChains() {}

  static List<ChainId> from(FeedConfig feed, RollupSettings.Properties rollups) {
    if (feed.chains().isPresent() && !feed.chains().get().isEmpty()) {
      return feed.chains().get().stream().map(ChainId::of).distinct().toList();
    }
    return RollupSettings.read(rollups).rollups().all().stream()
        .map(RollupConfig::chainId)
        .toList();
  }
}
