package io.preconf.functions.config;

import io.preconf.core.finality.FinalityConfig;
import io.preconf.core.reconcile.BlockFollower;
import io.preconf.core.reconcile.Reconciliation;
import io.preconf.core.rollup.RollupConfig;
import io.preconf.infra.config.RollupSettings;
import io.preconf.infra.rpc.JsonRpcBlockSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Follows every rollup whose JSON-RPC URL is configured ({@code preconf.rollups[i].rpc-url}, or
 * {@code "rpcUrl"} in {@code preconf.rollups-json}; see {@link RollupSettings}): once per slot it
 * feeds the node's new blocks to reconciliation. This needs a process that stays up (bin/run, a
 * container); on AWS Lambda, where a process lives only for its invocations, leave the URL unset
 * and call {@code reconcile} instead.
 */
@ApplicationScoped
public class BlockFollowers {
  private static final Logger LOG = Logger.getLogger(BlockFollowers.class);
  private static final int MAX_BLOCKS_PER_POLL = 64;

  @Inject PreconfConfig config;
  @Inject FinalityConfig finality;
  @Inject RollupSettings rollups;
  @Inject Reconciliation reconciliation;

  private final List<Cancellable> running = new ArrayList<>();

  void start(@Observes StartupEvent start) {
    rollups
        .rpcUrls()
        .forEach(
            (chain, url) -> {
              RollupConfig rollup = rollups.rollups().find(chain).orElseThrow();
              BlockFollower follower =
                  new BlockFollower(
                      chain,
                      new JsonRpcBlockSource(chain, url, config.finality().rpcTimeout()),
                      reconciliation,
                      MAX_BLOCKS_PER_POLL,
                      finality.depth());
              Duration every = Duration.ofMillis(rollup.slotDurationMs());
              LOG.infof("following chain %s at %s every %d ms", chain, url, every.toMillis());
              running.add(
                  Multi.createFrom()
                      .ticks()
                      .every(every)
                      .onOverflow()
                      .drop()
                      .onItem()
                      .transformToUniAndConcatenate(
                          tick ->
                              follower
                                  .poll()
                                  .onFailure()
                                  .invoke(
                                      e ->
                                          LOG.warnf(
                                              "following chain %s: %s", chain, e.getMessage()))
                                  .onFailure()
                                  .recoverWithItem(0))
                      .subscribe()
                      .with(
                          taken -> {},
                          failure ->
                              LOG.errorf(failure, "the follower of chain %s stopped", chain)));
            });
  }

  void stop(@Observes ShutdownEvent stop) {
    running.forEach(Cancellable::cancel);
    running.clear();
  }
}
