package io.preconf.feed.hub;

import io.smallrye.mutiny.Uni;
import java.util.concurrent.Executor;

/**
 * One client connection as the feed sees it, whatever WebSocket server carries it. Sends may be
 * called from any thread; the Uni completes once the frame is written to the socket.
 */
public interface Outlet {
  Uni<Void> sendText(String text);

  /**
   * The event loop that owns the connection: a lane hands each loop one task per batch for all its
   * connections, so that writes happen where the socket lives instead of one cross-thread hop per
   * frame. Tasks run in the order given.
   */
  Executor loop();

  Uni<Void> close(int code, String reason);
}
