package io.preconf.feed;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.preconf.core.delivery.Backoff;
import io.preconf.core.delivery.DeliveryLag;
import io.preconf.core.delivery.DeliveryLoop;
import io.preconf.core.delivery.LaneForwarder;
import io.preconf.core.port.Clock;
import io.preconf.core.types.ChainId;
import io.preconf.infra.config.RollupSettings;
import io.preconf.infra.pg.PgCalls;
import io.preconf.infra.pg.PgDeliveryLedger;
import io.preconf.infra.pg.PgLaneLog;
import io.preconf.infra.redis.RedisCommands;
import io.preconf.infra.redis.RedisDeliveryLease;
import io.preconf.infra.redis.RedisFeedLog;
import io.preconf.infra.redis.RedisKeys;
import io.preconf.infra.redis.RedisStatusLog;
import io.preconf.infra.rpc.JsonRpcClient;
import io.preconf.infra.rpc.JsonRpcRollupNode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Builds this process's forwarders, one per rollup with a node URL, from configuration and the
 * infra adapters, starts them with the application and releases their lanes on shutdown. Any number
 * of processes may run them: one holds each lane, the others stand by.
 */
@ApplicationScoped
public class DeliveryBeans {
  private static final Logger LOG = Logger.getLogger(DeliveryBeans.class);
  private static final long RELEASE_MS = 3_000;

  /** The running forwarders and what their gauges read; empty when delivery is off. */
  public record Deliveries(List<DeliveryLoop> loops, List<DeliveryLag> lags) {}

  @Produces
  @Singleton
  Deliveries deliveries(
      DeliveryConfig config,
      RollupSettings.Properties rollups,
      RedisCommands redis,
      RedisKeys keys,
      RedisFeedLog log,
      RedisStatusLog statuses,
      Mutiny.SessionFactory sessions,
      Pool pool,
      PgCalls pg,
      MeterRegistry registry) {
    Map<ChainId, URI> nodes = RollupSettings.read(rollups).rpcUrls();
    if (!config.enabled() || nodes.isEmpty()) {
      LOG.infof(
          "delivery to rollup nodes is off (%s)",
          config.enabled() ? "no rollup has an rpc-url" : "preconf.delivery.enabled=false");
      return new Deliveries(List.of(), List.of());
    }
    ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "preconf-delivery");
              t.setDaemon(true);
              return t;
            });
    LaneForwarder.Settings settings =
        new LaneForwarder.Settings(
            config.leaseTtl(),
            config.batchSize(),
            config.gapSettle(),
            config.idlePoll(),
            new Backoff(config.retryFirst(), config.retryMax()));
    RedisDeliveryLease lease = new RedisDeliveryLease(redis, keys);
    PgDeliveryLedger ledger = new PgDeliveryLedger(pool, pg);
    PgLaneLog archive = new PgLaneLog(sessions, pg);
    String holder = holder();
    List<DeliveryLoop> loops = new ArrayList<>();
    List<DeliveryLag> lags = new ArrayList<>();
    nodes.forEach(
        (chain, url) -> {
          LaneForwarder.Ports ports =
              new LaneForwarder.Ports(
                  lease,
                  ledger,
                  new JsonRpcRollupNode(
                      JsonRpcClient.forRollupNode(url, chain.value(), config.nodeTimeout())),
                  statuses,
                  log,
                  archive,
                  Clock.SYSTEM);
          DeliveryLag lag = new DeliveryLag(Clock.SYSTEM);
          gauges(registry, chain, lag);
          lags.add(lag);
          loops.add(
              new DeliveryLoop(
                  new LaneForwarder(chain, holder, ports, settings, lag),
                  scheduler,
                  config.retryMax()));
          LOG.infof("delivering lane %s to %s as %s", chain, url, holder);
        });
    return new Deliveries(List.copyOf(loops), List.copyOf(lags));
  }

  /**
   * The registry keeps the lag itself (a strong reference), so the gauges never read a lost one.
   */
  private static void gauges(MeterRegistry registry, ChainId chain, DeliveryLag lag) {
    String id = Long.toString(chain.value());
    Gauge.builder("preconf.delivery.behind.sequences", lag, DeliveryLag::sequencesBehind)
        .description("promises issued in the lane and not yet handed to its node (NaN on standby)")
        .tag("chain", id)
        .strongReference(true)
        .register(registry);
    Gauge.builder("preconf.delivery.behind.ms", lag, DeliveryLag::millisBehind)
        .description("age of the oldest promise not yet handed to its node (NaN on standby)")
        .tag("chain", id)
        .strongReference(true)
        .register(registry);
    Gauge.builder("preconf.delivery.holding", lag, DeliveryLag::holding)
        .description("1 while this process holds the lane's delivery")
        .tag("chain", id)
        .strongReference(true)
        .register(registry);
  }

  /** Names this process in the leases: host, and a random part for processes on one host. */
  private static String holder() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "unknown-host";
    }
    return host + "/" + UUID.randomUUID();
  }

  void onStart(@Observes StartupEvent event, Deliveries deliveries) {
    deliveries.loops().forEach(DeliveryLoop::start);
  }

  /**
   * Releases every lane this process holds, so another process takes over at once rather than when
   * the lease runs out. Shutdown waits for that a moment (as it waits for the feed's close frames);
   * a release that does not finish in time leaves the lease to run out.
   */
  void onStop(@Observes ShutdownEvent event, Deliveries deliveries) {
    if (deliveries.loops().isEmpty()) {
      return;
    }
    CompletableFuture<Void> released =
        Uni.join()
            .all(deliveries.loops().stream().map(DeliveryLoop::close).toList())
            .andCollectFailures()
            .replaceWithVoid()
            .subscribeAsCompletionStage();
    try {
      released.get(RELEASE_MS, TimeUnit.MILLISECONDS);
      LOG.info("delivery stopped; lanes released");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("the delivery lanes were not all released; their leases run out", e);
    }
  }
}
