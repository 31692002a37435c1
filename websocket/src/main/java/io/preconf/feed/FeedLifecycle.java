package io.preconf.feed;

import io.preconf.feed.hub.FeedNode;
import io.preconf.feed.sweep.LaneSweeper;
import io.preconf.feed.sweep.SweeperConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Starts the node's lane readers and the lane sweeper with the application, and on shutdown
 * (SIGTERM) closes every subscriber with 1001 and the sequence to resume from, giving the close
 * frames a moment to leave.
 */
@ApplicationScoped
public class FeedLifecycle {
  private static final Logger LOG = Logger.getLogger(FeedLifecycle.class);
  private static final long DRAIN_MS = 3_000;

  private volatile long sweepTimer = -1;

  void onStart(
      @Observes StartupEvent event,
      FeedNode node,
      LaneSweeper sweeper,
      SweeperConfig sweeping,
      Vertx vertx) {
    LOG.infof("feed serving chains %s", node.chains());
    node.start();
    if (sweeping.enabled()) {
      sweepTimer = sweeper.every(vertx, sweeping.interval());
    }
  }

  void onStop(@Observes ShutdownEvent event, FeedNode node, Vertx vertx) {
    if (sweepTimer >= 0) {
      vertx.cancelTimer(sweepTimer);
    }
    int open = node.connections();
    node.stop();
    long deadline = System.currentTimeMillis() + DRAIN_MS;
    while (node.connections() > 0 && System.currentTimeMillis() < deadline) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    LOG.infof("feed stopped; closed %d subscriber connection(s)", open);
  }
}
