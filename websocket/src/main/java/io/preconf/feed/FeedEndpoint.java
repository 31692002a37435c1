package io.preconf.feed;

import io.netty.buffer.Unpooled;
import io.preconf.feed.hub.FeedNode;
import io.preconf.feed.hub.Frame;
import io.preconf.feed.hub.Handshake;
import io.preconf.feed.hub.Outlet;
import io.preconf.feed.hub.Subscriber;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.HandshakeRequest;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.core.impl.ContextInternal;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * {@code /feed} (spec section 7). Thin: it hands each connection to the node, which does the rest.
 * Subscribers only listen; frames they send are ignored.
 */
@WebSocket(path = "/feed")
public class FeedEndpoint {
  private static final UserData.TypedKey<Subscriber> SUBSCRIBER =
      new UserData.TypedKey<>("feed.subscriber");

  @Inject FeedNode node;
  @Inject FeedConfig config;

  @OnOpen
  @NonBlocking
  void open(WebSocketConnection connection) {
    HandshakeRequest request = connection.handshakeRequest();
    List<String> addressHeader =
        config.clientAddressHeader().map(request::headers).orElse(List.of());
    Handshake handshake =
        new Handshake(
            request.query(),
            request.header("X-Api-Key"),
            addressHeader,
            Handshake.withoutPort(request.remoteAddress()));
    Subscriber s =
        node.open(
            new ConnectionOutlet(connection, VertxSockets.of(connection), currentLoop()),
            handshake);
    if (s != null) {
      connection.userData().put(SUBSCRIBER, s);
    }
  }

  @OnClose
  @NonBlocking
  void close(WebSocketConnection connection) {
    Subscriber s = connection.userData().get(SUBSCRIBER);
    if (s != null) {
      node.closed(s);
    }
  }

  /** The event loop running this callback: the connection's own. */
  private static Executor currentLoop() {
    Context context = Vertx.currentContext();
    return context instanceof ContextInternal internal ? internal.nettyEventLoop() : Runnable::run;
  }

  /**
   * Writes a frame's shared bytes straight to the Vert.x socket when it is reachable (no copy, no
   * re-encoding per connection), else through WebSockets Next.
   *
   * @param socket the connection's Vert.x socket, or null
   */
  private record ConnectionOutlet(
      WebSocketConnection connection, WebSocketBase socket, Executor loop) implements Outlet {
    /** Frames above this go through Vert.x's own writer, which splits them (none does today). */
    private static final int MAX_SINGLE_FRAME = 65_536;

    @Override
    public void send(Frame frame, Runnable done) {
      byte[] payload = frame.utf8();
      if (socket != null && payload.length <= MAX_SINGLE_FRAME) {
        socket
            .writeFrame(
                new WebSocketFrameImpl(
                    WebSocketFrameType.TEXT, Unpooled.wrappedBuffer(payload), true))
            .onComplete(ignored -> done.run());
      } else if (socket != null) {
        socket.writeTextMessage(frame.text()).onComplete(ignored -> done.run());
      } else {
        connection
            .sendText(frame.text())
            .subscribe()
            .with(ignored -> done.run(), failure -> done.run());
      }
    }

    @Override
    public Uni<Void> close(int code, String reason) {
      return connection.close(new CloseReason(code, reason));
    }
  }
}
