package io.preconf.feed;

import io.preconf.feed.hub.FeedNode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Starts the node's lane readers with the application, and on shutdown (SIGTERM) closes every
 * subscriber with 1001 and the sequence to resume from, giving the close frames a moment to leave.
 */
@ApplicationScoped
public class FeedLifecycle {
  private static final Logger LOG = Logger.getLogger(FeedLifecycle.class);
  private static final long DRAIN_MS = 3_000;

  void onStart(@Observes StartupEvent event, FeedNode node) {
    LOG.infof("feed serving chains %s", node.chains());
    node.start();
  }

  void onStop(@Observes ShutdownEvent event, FeedNode node) {
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
