package io.preconf.infra.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.preconf.core.error.RejectedException;
import io.preconf.core.error.Rejection;
import io.preconf.core.port.BlockSource;
import io.preconf.core.types.ChainId;
import io.preconf.core.wire.WireBlock;
import io.smallrye.mutiny.Uni;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A rollup node over Ethereum JSON-RPC: {@code eth_blockNumber} and {@code
 * eth_getBlockByNumber(number, false)}, whose hex quantities become the numbers {@code reconcile}
 * takes (the header's {@code timestamp}, in seconds, gives the slot). Failures come back as a
 * {@link RejectedException} carrying BACKEND_UNAVAILABLE and naming the node.
 */
public final class JsonRpcBlockSource implements BlockSource {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ChainId chain;
  private final URI url;
  private final Duration timeout;
  private final HttpClient http;

  public JsonRpcBlockSource(ChainId chain, URI url, Duration timeout) {
    this.chain = chain;
    this.url = url;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  @Override
  public Uni<OptionalLong> latest() {
    return call("eth_blockNumber", JSON.createArrayNode())
        .onItem()
        .transform(r -> r.isNull() ? OptionalLong.empty() : OptionalLong.of(quantity(r, "result")));
  }

  @Override
  public Uni<Optional<WireBlock>> byNumber(long number) {
    return call(
            "eth_getBlockByNumber",
            JSON.createArrayNode().add("0x" + Long.toHexString(number)).add(false))
        .onItem()
        .transform(r -> r.isNull() ? Optional.<WireBlock>empty() : Optional.of(block(r)));
  }

  private WireBlock block(JsonNode b) {
    List<String> txs = new ArrayList<>();
    for (JsonNode t : b.path("transactions")) {
      // Hashes with full=false; a node that sends objects anyway still names each by its hash.
      txs.add(t.isTextual() ? t.asText() : t.path("hash").asText(null));
    }
    return new WireBlock(
        chain.value(),
        quantity(b.get("number"), "number"),
        b.path("hash").asText(null),
        b.path("parentHash").asText(null),
        null,
        quantity(b.get("timestamp"), "timestamp"),
        txs);
  }

  private Uni<JsonNode> call(String method, JsonNode params) {
    ObjectNode body = JSON.createObjectNode();
    body.put("jsonrpc", "2.0");
    body.put("id", 1);
    body.put("method", method);
    body.set("params", params);
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
            .build();
    return Uni.createFrom()
        .completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.ofString()))
        .onItem()
        .transform(response -> result(method, response))
        .onFailure(f -> !(f instanceof RejectedException))
        .transform(f -> unavailable(method + " failed: " + f.getMessage(), f));
  }

  private JsonNode result(String method, HttpResponse<String> response) {
    if (response.statusCode() != 200) {
      throw unavailable(method + " answered HTTP " + response.statusCode(), null);
    }
    JsonNode r;
    try {
      r = JSON.readTree(response.body());
    } catch (IOException e) {
      throw unavailable(method + " answered something that is not JSON", e);
    }
    if (r.hasNonNull("error")) {
      throw unavailable(method + " answered error " + r.get("error"), null);
    }
    return r.path("result");
  }

  private long quantity(JsonNode v, String field) {
    if (v == null || !v.isTextual() || !v.asText().startsWith("0x")) {
      throw unavailable(field + " is not a hex quantity: " + v, null);
    }
    try {
      return Long.parseLong(v.asText().substring(2), 16);
    } catch (NumberFormatException e) {
      throw unavailable(field + " is not a hex quantity: " + v, e);
    }
  }

  private RejectedException unavailable(String what, Throwable cause) {
    return new RejectedException(
        Rejection.backendUnavailable("rollup node " + url + " of chain " + chain + ": " + what),
        cause);
  }
}
