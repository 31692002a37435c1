package io.preconf.feed;

import io.preconf.feed.hub.FeedNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when every lane reader has started and the node's wake-up read on Redis answered lately.
 * The Redis and PostgreSQL clients add their own checks beside it.
 */
@Readiness
@ApplicationScoped
public class FeedReadiness implements HealthCheck {
  @Inject FeedNode node;

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("feed")
        .status(node.ready())
        .withData("chains", node.chains().toString())
        .withData("connections", node.connections())
        .build();
  }
}
