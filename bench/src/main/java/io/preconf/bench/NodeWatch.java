package io.preconf.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;

/**
 * Watches a rollup's node during bench/delivery.sh and writes when each transaction reached it: the
 * node's own push subscriptions ({@code eth_subscribe}) over its WebSocket, so the instants are the
 * node's announcements, with no polling interval in them.
 *
 * <ul>
 *   <li>{@code newPendingTransactions}: the first moment the node holds the transaction (accepted
 *       into its pool); one line {@code txHash \t unix ms} in {@code pending}.
 *   <li>{@code newHeads}: each new block, then its transaction hashes read over HTTP ({@code
 *       eth_getBlockByHash}); one line {@code txHash \t block \t block timestamp (s) \t unix ms the
 *       head was announced} per transaction in {@code included}.
 * </ul>
 *
 * <p>Arguments: {@code port=P pending=FILE included=FILE}. Runs until it is stopped (SIGTERM).
 */
public final class NodeWatch implements WebSocket.Listener {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();
  private final URI node;
  private final PrintWriter pending;
  private final PrintWriter included;
  private final StringBuilder partial = new StringBuilder();

  NodeWatch(URI node, PrintWriter pending, PrintWriter included) {
    this.node = node;
    this.pending = pending;
    this.included = included;
  }

  public static void main(String[] argv) throws Exception {
    var args = RequestBodies.arguments(argv);
    int port = Integer.parseInt(RequestBodies.required(args, "port"));
    PrintWriter pending = writer(RequestBodies.required(args, "pending"));
    PrintWriter included = writer(RequestBodies.required(args, "included"));
    NodeWatch watch = new NodeWatch(URI.create("http://127.0.0.1:" + port), pending, included);
    WebSocket ws =
        watch
            .http
            .newWebSocketBuilder()
            .buildAsync(URI.create("ws://127.0.0.1:" + port), watch)
            .join();
    ws.sendText(subscribe(1, "newPendingTransactions"), true).join();
    ws.sendText(subscribe(2, "newHeads"), true).join();
    System.out.println("node-watch: subscribed on port " + port);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  pending.close();
                  included.close();
                }));
    new CountDownLatch(1).await();
  }

  private static PrintWriter writer(String file) throws IOException {
    return new PrintWriter(Files.newBufferedWriter(Path.of(file)), true);
  }

  private static String subscribe(int id, String what) {
    return "{\"jsonrpc\":\"2.0\",\"id\":"
        + id
        + ",\"method\":\"eth_subscribe\",\"params\":[\""
        + what
        + "\"]}";
  }

  @Override
  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
    long now = System.currentTimeMillis();
    partial.append(data);
    if (last) {
      String text = partial.toString();
      partial.setLength(0);
      onMessage(text, now);
    }
    ws.request(1);
    return null;
  }

  private void onMessage(String text, long now) {
    JsonNode result;
    try {
      result = JSON.readTree(text).path("params").path("result");
    } catch (IOException e) {
      throw new IllegalStateException("the node sent " + text, e);
    }
    if (result.isTextual()) {
      synchronized (pending) {
        pending.println(result.asText() + "\t" + now);
      }
    } else if (result.has("hash")) {
      block(result.path("hash").asText()).thenAccept(b -> included(b, now));
    }
  }

  private CompletableFuture<JsonNode> block(String hash) {
    String body =
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_getBlockByHash\",\"params\":[\""
            + hash
            + "\",false]}";
    return http.sendAsync(
            HttpRequest.newBuilder(node)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .thenApply(r -> readTree(r.body()).path("result"));
  }

  private static JsonNode readTree(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new IllegalStateException("the node answered " + text, e);
    }
  }

  private void included(JsonNode block, long announced) {
    long number = Long.decode(block.path("number").asText());
    long timestamp = Long.decode(block.path("timestamp").asText());
    synchronized (included) {
      for (JsonNode tx : block.path("transactions")) {
        included.println(tx.asText() + "\t" + number + "\t" + timestamp + "\t" + announced);
      }
    }
  }
}
