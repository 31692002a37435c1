package io.preconf.feed;

import io.preconf.feed.hub.FeedNode;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.UserData;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Reads the heads of the lanes a connection asks for before its handshake completes: a live
 * subscription starts there (spec section 7), so a client that publishes once it is connected sees
 * what it published. The connection is upgraded either way; when the read fails it is refused after
 * the handshake, as any other refusal ({@link FeedNode#open}).
 */
@ApplicationScoped
public class FeedJoin implements HttpUpgradeCheck {
  /** What the read found, from the upgrade to the connection it becomes. */
  static final UserData.TypedKey<FeedNode.Heads> HEADS = new UserData.TypedKey<>("feed.heads");

  @Inject FeedNode node;

  @Override
  public boolean appliesTo(String endpointId) {
    return FeedEndpoint.class.getName().equals(endpointId);
  }

  @Override
  public Uni<CheckResult> perform(HttpUpgradeContext context) {
    Context loop = Vertx.currentContext();
    return node.heads(context.httpRequest().query())
        .onItem()
        .invoke(heads -> context.userData().put(HEADS, heads))
        .onItemOrFailure()
        .transform((ignored, failure) -> CheckResult.permitUpgradeSync())
        // The upgrade goes on where the request came in, not on the backend client's thread.
        .emitOn(loop == null ? Runnable::run : task -> loop.runOnContext(v -> task.run()));
  }
}
