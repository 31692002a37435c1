package io.preconf.feed.hub;

import io.smallrye.mutiny.Uni;
import java.util.concurrent.Executor;

/** One client connection as the feed sees it, whatever WebSocket server carries it. */
public interface Outlet {
  /**
   * Writes one text frame. May be called from any thread; {@code done} runs once the frame is
   * written to the socket or the write has failed (the connection's close event follows a failure).
   */
  void send(Frame frame, Runnable done);

  /**
   * The event loop that owns the connection: a lane hands each loop one task per batch for all its
   * connections, so that writes happen where the socket lives instead of one cross-thread hop per
   * frame. Tasks run in the order given.
   */
  Executor loop();

  Uni<Void> close(int code, String reason);
}
