package io.preconf.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A rollup node that answers {@code eth_blockNumber} and {@code eth_getBlockByNumber} from a chain
 * the test writes, so that the follower can be tested against real JSON-RPC over HTTP.
 */
public class FakeRollupNode implements QuarkusTestResourceLifecycleManager {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final TreeMap<Long, ObjectNode> CHAIN = new TreeMap<>();
  private HttpServer server;

  /** Puts (or replaces) block {@code number} of the node's canonical chain. */
  static synchronized void put(long number, String hash, String parent, long slot, String... txs) {
    ObjectNode b = JSON.createObjectNode();
    b.put("number", "0x" + Long.toHexString(number));
    b.put("hash", hash);
    b.put("parentHash", parent);
    long seconds = (FinalityChain.GENESIS_MS + slot * FinalityChain.SLOT_MS) / 1000;
    b.put("timestamp", "0x" + Long.toHexString(seconds));
    ArrayNode t = b.putArray("transactions");
    List.of(txs).forEach(t::add);
    CHAIN.put(number, b);
  }

  private static synchronized String answer(String request) throws IOException {
    JsonNode call = JSON.readTree(request);
    ObjectNode out = JSON.createObjectNode();
    out.put("jsonrpc", "2.0");
    out.set("id", call.get("id"));
    switch (call.path("method").asText()) {
      case "eth_blockNumber" ->
          out.put("result", CHAIN.isEmpty() ? null : "0x" + Long.toHexString(CHAIN.lastKey()));
      case "eth_getBlockByNumber" -> {
        long n = Long.parseLong(call.path("params").get(0).asText().substring(2), 16);
        out.set("result", CHAIN.containsKey(n) ? CHAIN.get(n) : JSON.nullNode());
      }
      default -> out.putObject("error").put("code", -32601).put("message", "method not found");
    }
    return out.toString();
  }

  @Override
  public Map<String, String> start() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    server.createContext(
        "/",
        exchange -> {
          byte[] body =
              answer(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8))
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    return Map.of(
        "preconf.rollups[2].rpc-url",
        "http://127.0.0.1:" + server.getAddress().getPort() + "/",
        // It knows blocks only, no accounts to check senders on.
        "preconf.rollups[2].state-checks",
        "false");
  }

  @Override
  public void stop() {
    if (server != null) {
      server.stop(0);
    }
  }
}
