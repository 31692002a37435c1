package io.preconf.feed;

import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.http.WebSocketBase;
import java.lang.reflect.Method;
import org.jboss.logging.Logger;

/**
 * The Vert.x socket under a WebSockets Next connection, so that the feed can write one frame,
 * encoded once, to many sockets. WebSockets Next sends only Strings, each through a Mutiny Uni with
 * context propagation: on a thousand connections that layer costs about a third of the fan-out's
 * CPU, and every send encodes the same 7 KB again.
 *
 * <p>WebSockets Next keeps the socket behind a package-private accessor. When this release does not
 * have it, {@link #of} answers null and the feed sends through the public API instead.
 */
final class VertxSockets {
  private static final Logger LOG = Logger.getLogger(VertxSockets.class);
  private static final Method WEB_SOCKET = find();

  private VertxSockets() {}

  /** Whether this WebSockets Next release lets the feed reach its connections' sockets. */
  static boolean reachable() {
    return WEB_SOCKET != null;
  }

  /** The connection's Vert.x socket, or null when it cannot be reached. */
  static WebSocketBase of(WebSocketConnection connection) {
    if (WEB_SOCKET == null || !WEB_SOCKET.getDeclaringClass().isInstance(connection)) {
      return null;
    }
    try {
      return (WebSocketBase) WEB_SOCKET.invoke(connection);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  private static Method find() {
    try {
      Class<?> base =
          Class.forName(
              "io.quarkus.websockets.next.runtime.WebSocketConnectionBase",
              false,
              WebSocketConnection.class.getClassLoader());
      Method m = base.getDeclaredMethod("webSocket");
      m.setAccessible(true);
      return m;
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warnf(
          "the Vert.x socket of a WebSockets Next connection is not reachable (%s); the feed"
              + " sends through WebSocketConnection.sendText, which costs more CPU per frame",
          e.toString());
      return null;
    }
  }
}
