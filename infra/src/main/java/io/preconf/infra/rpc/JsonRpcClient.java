package io.preconf.infra.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.preconf.core.error.RejectedException;
import io.preconf.core.error.Rejection;
import io.preconf.core.time.Timeouts;
import io.preconf.core.types.Hash32;
import io.preconf.core.types.MalformedValueException;
import io.smallrye.mutiny.Uni;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ethereum JSON-RPC 2.0 over HTTP to one node (<a
 * href="https://ethereum.org/en/developers/docs/apis/json-rpc/">the API</a>), every exchange
 * bounded by one deadline. When the node does not answer in time, cannot be reached or answers
 * something that is not JSON-RPC, the call fails with a {@link RejectedException} carrying
 * BACKEND_UNAVAILABLE whose message names the node (URL and chain) and the method. An error object
 * from the node is an answer: {@link #exchange} returns it as a {@link Reply.Error}, {@link #call}
 * turns it into the same failure.
 */
public final class JsonRpcClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final BigInteger MAX_LONG = BigInteger.valueOf(Long.MAX_VALUE);

  private final URI url;
  private final String node;
  private final Duration timeout;
  private final HttpClient http;
  private final AtomicLong ids = new AtomicLong();

  /**
   * @param node how failures name the node, e.g. {@code "rollup node http://127.0.0.1:8545 of chain
   *     167000"}
   */
  public JsonRpcClient(URI url, String node, Duration timeout) {
    this.url = Objects.requireNonNull(url, "url");
    this.node = Objects.requireNonNull(node, "node");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** A client for a rollup's node, named after its URL and chain in every failure. */
  public static JsonRpcClient forRollupNode(URI url, long chainId, Duration timeout) {
    return new JsonRpcClient(url, "rollup node " + url + " of chain " + chainId, timeout);
  }

  /** One method call; params are strings, numbers, booleans or JSON nodes. */
  public record Call(String method, List<?> params) {
    public Call {
      Objects.requireNonNull(method, "method");
      params = List.copyOf(params);
    }

    public static Call of(String method, Object... params) {
      return new Call(method, List.of(params));
    }
  }

  /** The node's answer to one call. */
  public sealed interface Reply {
    /** {@code "result"}; JSON null when the node has nothing to give (an unknown receipt). */
    record Result(JsonNode value) implements Reply {}

    /** {@code "error"}: the node refused the call, in its own words. */
    record Error(long code, String message) implements Reply {}
  }

  /** The node's answer to {@code call}: its result or its error object. */
  public Uni<Reply> exchange(Call call) {
    return post(call.method(), request(call))
        .onItem()
        .transform(answer -> reply(call.method(), answer));
  }

  /** The result of {@code call}; an error answer fails, naming the method and the node's words. */
  public Uni<JsonNode> call(Call call) {
    return exchange(call).onItem().transform(r -> result(call.method(), r));
  }

  /**
   * Several calls in one request and one round trip (a JSON-RPC batch), their results in the order
   * of {@code calls}. Fails as a whole when any of them answers an error.
   */
  public Uni<List<JsonNode>> batch(List<Call> calls) {
    ArrayNode body = JSON.createArrayNode();
    List<Long> order = new ArrayList<>(calls.size());
    for (Call c : calls) {
      ObjectNode r = request(c);
      body.add(r);
      order.add(r.get("id").asLong());
    }
    String what = calls.stream().map(Call::method).toList().toString();
    return post(what, body)
        .onItem()
        .transform(
            answer -> {
              if (!answer.isArray() || answer.size() != calls.size()) {
                throw unavailable(what + " answered " + abbreviate(answer) + ", not a batch", null);
              }
              Map<Long, JsonNode> byId = new HashMap<>();
              answer.forEach(a -> byId.put(a.path("id").asLong(-1), a));
              List<JsonNode> results = new ArrayList<>(calls.size());
              for (int i = 0; i < calls.size(); i++) {
                String method = calls.get(i).method();
                JsonNode a = byId.get(order.get(i));
                if (a == null) {
                  throw unavailable(what + " answered no " + method, null);
                }
                results.add(result(method, reply(method, a)));
              }
              return results;
            });
  }

  /** A failure of this node, carrying BACKEND_UNAVAILABLE, its message naming the node. */
  public RejectedException unavailable(String what, Throwable cause) {
    return new RejectedException(Rejection.backendUnavailable(node + ": " + what), cause);
  }

  /** A hex quantity ({@code "0x1a"}) that must fit a long. */
  public long number(JsonNode value, String field) {
    BigInteger n = bigNumber(value, field);
    if (n.compareTo(MAX_LONG) > 0) {
      throw unavailable(field + " " + value + " is too large", null);
    }
    return n.longValueExact();
  }

  /** A hex quantity of any size (balances, fees). */
  public BigInteger bigNumber(JsonNode value, String field) {
    String text = value == null || !value.isTextual() ? null : value.asText();
    if (text == null || !text.startsWith("0x") || text.length() < 3 || text.length() > 66) {
      throw unavailable(field + " is not a hex quantity: " + value, null);
    }
    try {
      return new BigInteger(text.substring(2), 16);
    } catch (NumberFormatException e) {
      throw unavailable(field + " is not a hex quantity: " + value, e);
    }
  }

  /** A 32-byte hash. */
  public Hash32 hash(JsonNode value, String field) {
    if (value == null || !value.isTextual()) {
      throw unavailable(field + " is not a 32-byte hash: " + value, null);
    }
    try {
      return Hash32.fromHex(field, value.asText());
    } catch (MalformedValueException e) {
      throw unavailable(field + " is not a 32-byte hash: " + value, e);
    }
  }

  private ObjectNode request(Call call) {
    ObjectNode body = JSON.createObjectNode();
    body.put("jsonrpc", "2.0");
    body.put("id", ids.incrementAndGet());
    body.put("method", call.method());
    ArrayNode params = body.putArray("params");
    call.params().forEach(p -> params.add(JSON.valueToTree(p)));
    return body;
  }

  private Uni<JsonNode> post(String what, JsonNode body) {
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
            .build();
    return Uni.createFrom()
        .completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.ofString()))
        .onItem()
        .transform(response -> parse(what, response))
        .ifNoItem()
        .after(timeout)
        .on(Timeouts.scheduler())
        .failWith(() -> late(what, null))
        .onFailure(f -> !(f instanceof RejectedException))
        .transform(
            f ->
                f instanceof HttpTimeoutException
                    ? late(what, f)
                    : unavailable(what + " failed: " + describe(f), f));
  }

  /** The HTTP client's own timeouts and the deadline race; either way the node was too slow. */
  private RejectedException late(String what, Throwable cause) {
    return unavailable(what + " did not answer within " + timeout.toMillis() + " ms", cause);
  }

  private JsonNode parse(String what, HttpResponse<String> response) {
    if (response.statusCode() != 200) {
      throw unavailable(what + " answered HTTP " + response.statusCode(), null);
    }
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw unavailable(what + " answered something that is not JSON", e);
    }
  }

  private Reply reply(String method, JsonNode answer) {
    JsonNode error = answer.get("error");
    if (error != null && !error.isNull()) {
      return new Reply.Error(error.path("code").asLong(), error.path("message").asText(""));
    }
    if (!answer.has("result")) {
      throw unavailable(method + " answered " + abbreviate(answer) + ", with no result", null);
    }
    return new Reply.Result(answer.get("result"));
  }

  private JsonNode result(String method, Reply reply) {
    if (reply instanceof Reply.Error e) {
      throw unavailable(method + " answered error " + e.code() + ": " + e.message(), null);
    }
    return ((Reply.Result) reply).value();
  }

  private static String abbreviate(JsonNode answer) {
    String s = answer.toString();
    return s.length() <= 200 ? s : s.substring(0, 200) + "...";
  }

  /** The failure's kind and the first message down its causes (a refused connection has none). */
  private static String describe(Throwable f) {
    for (Throwable c = f; c != null; c = c.getCause()) {
      if (c.getMessage() != null && !c.getMessage().isBlank()) {
        return f.getClass().getSimpleName() + ": " + c.getMessage();
      }
    }
    return f.getClass().getSimpleName();
  }
}
