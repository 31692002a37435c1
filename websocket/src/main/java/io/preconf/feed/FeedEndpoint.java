package io.preconf.feed;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
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
import java.util.Locale;
import java.util.concurrent.Executor;

/**
 * {@code /feed} (spec section 7). Thin: it hands each connection to the node, with the lanes' heads
 * {@link FeedJoin} read during its handshake, and the node does the rest. Subscribers only listen;
 * frames they send are ignored.
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
    WebSocketBase socket = VertxSockets.of(connection);
    Subscriber s =
        node.open(
            new ConnectionOutlet(
                connection,
                socket,
                VertxSockets.channel(socket),
                currentLoop(),
                config.compression() && offersDeflate(request.header(EXTENSIONS))),
            handshake,
            connection.userData().get(FeedJoin.HEADS));
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

  private static final String EXTENSIONS = "Sec-WebSocket-Extensions";

  /** Whether the client offered permessage-deflate (RFC 7692), which the node then accepts. */
  static boolean offersDeflate(String extensions) {
    return extensions != null && extensions.toLowerCase(Locale.ROOT).contains("permessage-deflate");
  }

  /** The event loop running this callback: the connection's own. */
  private static Executor currentLoop() {
    Context context = Vertx.currentContext();
    return context instanceof ContextInternal internal ? internal.nettyEventLoop() : Runnable::run;
  }

  /**
   * Writes a frame's shared bytes to the connection's Netty channel when it can: the whole frame,
   * header included, is encoded once for every subscriber (a server's frames are not masked), so a
   * send is one write of shared direct memory, with no frame object, encoder or copy per
   * connection. A connection that may have negotiated compression gets the shared payload through
   * Vert.x, which deflates it per connection; without the Vert.x socket, frames go through
   * WebSockets Next.
   *
   * @param socket the connection's Vert.x socket, or null
   * @param channel the Netty channel under it (Vert.x's handler), or null
   * @param deflate whether the connection may have negotiated permessage-deflate
   */
  private record ConnectionOutlet(
      WebSocketConnection connection,
      WebSocketBase socket,
      ChannelHandlerContext channel,
      Executor loop,
      boolean deflate)
      implements Outlet {
    /**
     * Frames above this go through Vert.x's own writer, which splits them (none does today): a
     * client's default limit on one frame, Vert.x's included, is 64 KiB.
     */
    private static final int MAX_SINGLE_FRAME = 65_536;

    @Override
    public void send(Frame frame, Runnable done) {
      byte[] payload = frame.utf8();
      if (socket == null) {
        connection
            .sendText(frame.text())
            .subscribe()
            .with(ignored -> done.run(), failure -> done.run());
      } else if (payload.length > MAX_SINGLE_FRAME) {
        socket.writeTextMessage(frame.text()).onComplete(ignored -> done.run());
      } else if (channel != null && !deflate) {
        channel
            .writeAndFlush(Unpooled.wrappedBuffer(frame.wire().duplicate()))
            .addListener(ignored -> done.run());
      } else {
        socket
            .writeFrame(
                new WebSocketFrameImpl(
                    WebSocketFrameType.TEXT, Unpooled.wrappedBuffer(payload), true))
            .onComplete(ignored -> done.run());
      }
    }

    @Override
    public Uni<Void> close(int code, String reason) {
      return connection.close(new CloseReason(code, reason));
    }
  }
}
