package io.preconf.feed;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A connection the feed is expected to refuse, made with the JDK's WebSocket client: its listener
 * exists before the handshake, so an error frame and close that follow the handshake at once are
 * never lost (the Vert.x client can fail its connect when the server closes that fast).
 */
record RefusedClient(List<JsonObject> frames, int closeCode, String closeReason) {

  static RefusedClient connect(int port, String query, String apiKeyHeader) {
    List<JsonObject> frames = new CopyOnWriteArrayList<>();
    CompletableFuture<RefusedClient> closed = new CompletableFuture<>();
    StringBuilder partial = new StringBuilder();
    WebSocket.Listener listener =
        new WebSocket.Listener() {
          @Override
          public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
              frames.add(new JsonObject(partial.toString()));
              partial.setLength(0);
            }
            ws.request(1);
            return null;
          }

          @Override
          public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
            closed.complete(new RefusedClient(List.copyOf(frames), code, reason));
            return null;
          }

          @Override
          public void onError(WebSocket ws, Throwable error) {
            closed.completeExceptionally(error);
          }
        };
    WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
    if (apiKeyHeader != null) {
      builder.header("X-Api-Key", apiKeyHeader);
    }
    String uri = "ws://127.0.0.1:" + port + "/feed" + (query.isEmpty() ? "" : "?" + query);
    builder.buildAsync(URI.create(uri), listener).orTimeout(30, TimeUnit.SECONDS).join();
    return closed.orTimeout(30, TimeUnit.SECONDS).join();
  }
}
