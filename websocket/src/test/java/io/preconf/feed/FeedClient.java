package io.preconf.feed;

import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A subscriber as a client program would be one: a plain Vert.x WebSocket client on 127.0.0.1,
 * keeping every frame it got and how the connection ended. Handlers are set before connecting, so
 * that no early frame is lost.
 */
final class FeedClient implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(30);

  private final WebSocketClient client;
  private final ClientWebSocket ws;
  final List<JsonObject> frames = new CopyOnWriteArrayList<>();
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile Short closeCode;
  private volatile String closeReason;
  private volatile String extensions = "";

  private FeedClient(Vertx vertx, WebSocketClientOptions options) {
    this.client = vertx.createWebSocketClient(options);
    this.ws = client.webSocket();
    ws.textMessageHandler(text -> frames.add(new JsonObject(text)));
    ws.closeHandler(
        v -> {
          closeCode = ws.closeStatusCode();
          closeReason = ws.closeReason();
          closed.countDown();
        });
    ws.exceptionHandler(e -> {});
  }

  static FeedClient connect(Vertx vertx, int port, String query) {
    return connect(vertx, port, query, new WebSocketClientOptions(), null);
  }

  /** A client that reads through a small socket buffer, so that not reading soon backs up. */
  static FeedClient connectSmallBuffer(Vertx vertx, int port, String query) {
    return connect(
        vertx, port, query, new WebSocketClientOptions().setReceiveBufferSize(4096), null);
  }

  static FeedClient connect(
      Vertx vertx, int port, String query, WebSocketClientOptions options, String apiKeyHeader) {
    FeedClient c = new FeedClient(vertx, options.setMaxMessageSize(1 << 20));
    WebSocketConnectOptions connect =
        new WebSocketConnectOptions()
            .setHost("127.0.0.1")
            .setPort(port)
            .setURI(query == null || query.isEmpty() ? "/feed" : "/feed?" + query);
    if (apiKeyHeader != null) {
      connect.addHeader("X-Api-Key", apiKeyHeader);
    }
    c.ws
        .connect(connect)
        .onSuccess(
            w -> {
              // Vert.x forgets the handshake's headers once the connect callbacks have run.
              String e = w.headers() == null ? null : w.headers().get("Sec-WebSocket-Extensions");
              c.extensions = e == null ? "" : e;
            })
        .toCompletionStage()
        .toCompletableFuture()
        .orTimeout(30, TimeUnit.SECONDS)
        .join();
    return c;
  }

  /** The extensions the server accepted in its handshake answer. */
  String extensions() {
    return extensions;
  }

  void pause() {
    ws.pause();
  }

  void resume() {
    ws.resume();
  }

  List<JsonObject> ofType(String type) {
    List<JsonObject> out = new ArrayList<>();
    for (JsonObject f : frames) {
      if (type.equals(f.getString("type"))) {
        out.add(f);
      }
    }
    return out;
  }

  /** The preconfirmations received, as (chainId, sequence) in arrival order. */
  List<long[]> received() {
    List<long[]> out = new ArrayList<>();
    for (JsonObject f : ofType("preconfirmation")) {
      JsonObject d = f.getJsonObject("data");
      out.add(new long[] {d.getLong("chainId"), d.getLong("sequence")});
    }
    return out;
  }

  /** Sequences received on one chain, in arrival order. */
  List<Long> sequences(long chainId) {
    List<Long> out = new ArrayList<>();
    for (long[] r : received()) {
      if (r[0] == chainId) {
        out.add(r[1]);
      }
    }
    return out;
  }

  /** Waits until the frames so far satisfy {@code done}; false on timeout. */
  boolean await(Predicate<FeedClient> done, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (done.test(this)) {
        return true;
      }
      sleep(20);
    }
    return done.test(this);
  }

  boolean awaitClose(Duration timeout) {
    try {
      return closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  boolean isClosed() {
    return closed.getCount() == 0;
  }

  Short closeCode() {
    return closeCode;
  }

  String closeReason() {
    return closeReason;
  }

  @Override
  public void close() {
    if (!isClosed()) {
      ws.close();
      awaitClose(Duration.ofSeconds(5));
    }
    client.close();
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
