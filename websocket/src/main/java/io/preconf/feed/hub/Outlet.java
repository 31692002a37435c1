package io.preconf.feed.hub;

import io.smallrye.mutiny.Uni;

/**
 * One client connection as the feed sees it, whatever WebSocket server carries it. Sends may be
 * called from any thread; the Uni completes once the frame is written to the socket.
 */
public interface Outlet {
  Uni<Void> sendText(String text);

  Uni<Void> close(int code, String reason);
}
