package io.preconf.functions.config;

import io.preconf.core.finality.FinalityConfig;
import io.preconf.core.port.ChainLedger;
import io.preconf.core.port.Clock;
import io.preconf.core.port.StatusPublisher;
import io.preconf.core.reconcile.Reconciliation;
import io.preconf.core.rollup.Rollups;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Builds block reconciliation from configuration and the infra adapters. */
@ApplicationScoped
public class FinalityProducer {

  @Produces
  @Singleton
  FinalityConfig finalityConfig(PreconfConfig config) {
    return new FinalityConfig(
        config.finality().depth(), config.finality().futureSlots(), config.finality().maxAhead());
  }

  @Produces
  @Singleton
  Reconciliation reconciliation(
      FinalityConfig config,
      Rollups rollups,
      ChainLedger ledger,
      StatusPublisher feed,
      Clock clock) {
    return new Reconciliation(config, rollups, new Reconciliation.Ports(ledger, feed, clock));
  }
}
