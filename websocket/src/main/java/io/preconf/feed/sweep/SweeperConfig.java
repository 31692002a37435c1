package io.preconf.feed.sweep;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * The lane sweeper's settings, under {@code preconf.sweeper}. A position is voided once it has been
 * open for the preconfirm deadline plus {@code grace}: no live request holds one that long.
 */
@ConfigMapping(prefix = "preconf.sweeper")
public interface SweeperConfig {

  /** Whether this node sweeps at all. */
  @WithDefault("true")
  boolean enabled();

  /** How often each served lane is swept. */
  @WithDefault("1s")
  Duration interval();

  /**
   * The functions' preconfirm deadline ({@code preconf.engine.preconfirmation-timeout}); both read
   * {@code PRECONF_ENGINE_PRECONFIRMATION_TIMEOUT}, so one variable sets them together.
   */
  @WithDefault("30s")
  Duration deadline();

  /** How long past the preconfirm deadline a position may stay open. */
  @WithDefault("2s")
  Duration grace();

  /** How long a position may stay open before it is voided. */
  default Duration olderThan() {
    return deadline().plus(grace());
  }
}
