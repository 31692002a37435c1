package io.preconf.functions.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.preconf.core.finality.FinalityConfig;
import io.preconf.core.reconcile.BlockFollower;
import io.preconf.core.reconcile.Reconciliation;
import io.preconf.core.rollup.RollupConfig;
import io.preconf.core.rollup.Rollups;
import io.preconf.core.types.ChainId;
import io.preconf.infra.rpc.JsonRpcBlockSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Follows every rollup whose JSON-RPC URL is configured ({@code preconf.rollups[i].rpc-url}, or
 * {@code "rpcUrl"} in {@code preconf.rollups-json}): once per slot it feeds the node's new blocks
 * to reconciliation. This needs a process that stays up (bin/run, a container); on AWS Lambda,
 * where a process lives only for its invocations, leave the URL unset and call {@code reconcile}
 * instead.
 */
@ApplicationScoped
public class BlockFollowers {
  private static final Logger LOG = Logger.getLogger(BlockFollowers.class);
  private static final int MAX_BLOCKS_PER_POLL = 64;

  @Inject PreconfConfig config;
  @Inject FinalityConfig finality;
  @Inject Rollups rollups;
  @Inject Reconciliation reconciliation;
  @Inject ObjectMapper json;

  private final List<Cancellable> running = new ArrayList<>();

  void start(@Observes StartupEvent start) {
    urls()
        .forEach(
            (chain, url) -> {
              RollupConfig rollup =
                  rollups
                      .find(chain)
                      .orElseThrow(
                          () ->
                              new IllegalStateException("rpc-url set for unserved chain " + chain));
              BlockFollower follower =
                  new BlockFollower(
                      chain,
                      new JsonRpcBlockSource(
                          chain, URI.create(url), config.finality().rpcTimeout()),
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

  private Map<ChainId, String> urls() {
    Map<ChainId, String> out = new LinkedHashMap<>();
    if (config.rollupsJson().isPresent() && !config.rollupsJson().get().isBlank()) {
      try {
        for (JsonNode r : json.readTree(config.rollupsJson().get())) {
          if (r.hasNonNull("rpcUrl")) {
            out.put(ChainId.of(r.path("chainId").asLong()), r.get("rpcUrl").asText());
          }
        }
      } catch (IOException e) {
        throw new IllegalStateException("preconf.rollups-json is not valid JSON", e);
      }
      return out;
    }
    for (PreconfConfig.Rollup r : config.rollups()) {
      r.rpcUrl().filter(u -> !u.isBlank()).ifPresent(u -> out.put(ChainId.of(r.chainId()), u));
    }
    return out;
  }
}
