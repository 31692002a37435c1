package io.preconf.feed;

import io.netty.channel.ChannelHandlerContext;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.impl.WebSocketInternal;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import org.jboss.logging.Logger;

/**
 * The Vert.x socket, and the Netty channel, under a WebSockets Next connection, so that the feed
 * can write one frame, encoded once, to many sockets. WebSockets Next sends only Strings, each
 * through a Mutiny Uni with context propagation: on a thousand connections that layer costs about a
 * third of the fan-out's CPU, and every send encodes the same 7 KB again.
 *
 * <p>WebSockets Next keeps the socket behind a package-private accessor, and Vert.x Web wraps the
 * socket it upgrades in a class that keeps the Vert.x one in a private field. When a release moves
 * either, {@link #of} or {@link #channel} answers null and the feed sends through a public API
 * instead (with a warning, once).
 */
final class VertxSockets {
  private static final Logger LOG = Logger.getLogger(VertxSockets.class);
  private static final Method WEB_SOCKET = find();

  private VertxSockets() {}

  /** Whether this WebSockets Next release lets the feed reach its connections' sockets. */
  static boolean reachable() {
    return WEB_SOCKET != null;
  }

  /**
   * The connection's Vert.x socket, unwrapped when it can be, or null when it cannot be reached.
   */
  static WebSocketBase of(WebSocketConnection connection) {
    if (WEB_SOCKET == null || !WEB_SOCKET.getDeclaringClass().isInstance(connection)) {
      return null;
    }
    try {
      return unwrap((WebSocketBase) WEB_SOCKET.invoke(connection));
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** The Netty channel (Vert.x's handler on it) that carries {@code socket}, or null. */
  static ChannelHandlerContext channel(WebSocketBase socket) {
    return socket instanceof WebSocketInternal internal ? internal.channelHandlerContext() : null;
  }

  /** The Vert.x socket itself when {@code socket} is a wrapper around one (Vert.x Web's is). */
  private static WebSocketBase unwrap(WebSocketBase socket) {
    if (socket == null || socket instanceof WebSocketInternal) {
      return socket;
    }
    for (Field f : socket.getClass().getDeclaredFields()) {
      if (WebSocketBase.class.isAssignableFrom(f.getType())) {
        try {
          f.setAccessible(true);
          if (f.get(socket) instanceof WebSocketInternal inner) {
            return inner;
          }
        } catch (ReflectiveOperationException | RuntimeException e) {
          break;
        }
      }
    }
    warnOnce(socket);
    return socket;
  }

  private static volatile boolean warned;

  private static void warnOnce(WebSocketBase socket) {
    if (!warned) {
      warned = true;
      LOG.warnf(
          "the Netty channel under a %s is not reachable; the feed writes each frame through"
              + " Vert.x, which costs more CPU per frame",
          socket.getClass().getName());
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
