package io.preconf.feed;

import io.netty.buffer.Unpooled;
import io.preconf.core.error.Rejection;
import io.preconf.feed.hub.FeedNode;
import io.preconf.feed.hub.Frame;
import io.preconf.feed.hub.Outlet;
import io.preconf.feed.request.Refusal;
import io.preconf.wire.ErrorCodec;
import io.preconf.wire.RequestTargets;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Requests whose target is not a valid URI, such as {@code /feed?from=%}. Neither Quarkus (which
 * {@link FeedMain} tells not to refuse them itself) nor Vert.x's WebSocket upgrade can read them,
 * so this route, first of all, answers them: a WebSocket handshake to {@code /feed} completes here
 * (RFC 6455, 4.2.2) and is refused as the feed refuses any bad parameter, with an error frame
 * naming the bad part and close code 1008 (spec section 7); any other request gets a 400 with the
 * coded error as JSON.
 */
@ApplicationScoped
public class UnreadableTargets {
  /** RFC 6455, 1.3: appended to the client's key before hashing. */
  private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  @Inject FeedNode node;

  void install(@Observes Router router) {
    router.route().order(Integer.MIN_VALUE).handler(this::check);
  }

  private void check(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    Optional<Rejection> malformed = RequestTargets.malformed(request.uri());
    if (malformed.isEmpty()) {
      ctx.next();
      return;
    }
    String key = request.getHeader("Sec-WebSocket-Key");
    if ("/feed".equals(request.path())
        && "websocket".equalsIgnoreCase(request.getHeader("Upgrade"))
        && key != null) {
      request
          .response()
          .putHeader("Upgrade", "websocket")
          .putHeader("Connection", "Upgrade")
          .putHeader("Sec-WebSocket-Accept", accept(key));
      request
          .toNetSocket()
          .onSuccess(socket -> node.refuse(new SocketOutlet(socket), Refusal.of(malformed.get())))
          .onFailure(failure -> request.connection().close());
      return;
    }
    ctx.response()
        .setStatusCode(400)
        .putHeader("Content-Type", "application/json")
        .putHeader("Connection", "close")
        .end(ErrorCodec.toTree(malformed.get()).toString());
  }

  /** The handshake's answer to the client's key (RFC 6455, 4.2.2, item 5.4). */
  static String accept(String key) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-1")
              .digest((key.trim() + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-1", e);
    }
  }

  /**
   * The upgraded connection as a raw socket: frames go out as a server writes them (unmasked), and
   * closing writes a close frame (RFC 6455, 5.5.1) before closing the socket, since the connection
   * carries nothing else.
   */
  private record SocketOutlet(NetSocket socket) implements Outlet {
    @Override
    public void send(Frame frame, Runnable done) {
      socket
          .write(Buffer.buffer(Unpooled.wrappedBuffer(frame.wire().duplicate())))
          .onComplete(ignored -> done.run());
    }

    @Override
    public Executor loop() {
      return Runnable::run;
    }

    @Override
    public Uni<Void> close(int code, String reason) {
      byte[] text = reason.getBytes(StandardCharsets.UTF_8);
      byte[] frame = new byte[4 + text.length];
      frame[0] = (byte) 0x88; // FIN, opcode 8 (close)
      frame[1] = (byte) (2 + text.length);
      frame[2] = (byte) (code >> 8);
      frame[3] = (byte) code;
      System.arraycopy(text, 0, frame, 4, text.length);
      return Uni.createFrom()
          .completionStage(
              socket
                  .write(Buffer.buffer(frame))
                  .compose(ignored -> socket.close())
                  .toCompletionStage());
    }
  }
}
