package io.preconf.feed;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Delivery of promised transactions to the rollups' nodes, under {@code preconf.delivery}. A lane
 * is delivered when delivery is on and its rollup has a node URL ({@code
 * preconf.rollups[i].rpc-url} or {@code rpcUrl} in {@code preconf.rollups-json}).
 */
@ConfigMapping(prefix = "preconf.delivery")
public interface DeliveryConfig {

  @WithDefault("true")
  boolean enabled();

  /**
   * How long a lane's lease outlives its holder's last renewal: after a crash, another process
   * takes the lane over within this time. Renewed at a third of it.
   */
  @WithDefault("10s")
  Duration leaseTtl();

  /** Lane positions read and sent in one step; a crash re-sends at most this many. */
  @WithDefault("64")
  int batchSize();

  /** How often a caught-up lane is read again, and how often a standby asks for the lease. */
  @WithDefault("200ms")
  Duration idlePoll();

  /** The first wait before sending again to a node that did not answer; it doubles each time. */
  @WithDefault("250ms")
  Duration retryFirst();

  /** The longest wait between attempts on a node that does not answer. */
  @WithDefault("10s")
  Duration retryMax();

  /** How long one JSON-RPC call to a node may take. */
  @WithDefault("5s")
  Duration nodeTimeout();

  /**
   * How long a sequence missing from the Redis log and PostgreSQL may still turn up before delivery
   * steps over it, as the feed's {@code gap-settle}.
   */
  @WithDefault("5s")
  Duration gapSettle();
}
