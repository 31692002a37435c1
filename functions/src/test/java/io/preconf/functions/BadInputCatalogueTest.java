package io.preconf.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.preconf.infra.LocalServers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A catalogue of bad inputs, whatever their path, method, size, nesting, encoding or field: each is
 * answered with JSON holding a code, a reason and a message that names the bad value, never with
 * exception text, and none of them consumes anything: the next valid preconfirm on the chain gets
 * the very next lane sequence.
 */
@QuarkusTest
@TestProfile(EdgeChain.class)
@QuarkusTestResource(LocalServers.class)
class BadInputCatalogueTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String KEY = "test-operator-key";
  private static final long CHAIN = EdgeChain.CHAIN.value();
  private static final String HASH = "0x" + "ab".repeat(32);

  /** What leaks from an exception: a qualified class name, a stack frame, Jackson's own words. */
  private static final Pattern LEAK =
      Pattern.compile(
          "(?:[a-z][a-z0-9_]*\\.){2,}[A-Z]\\w*|Exception|\\tat |\\bat [a-z]+\\.|Source:|jackson"
              + "|StreamReadConstraints|NullPointer|java\\.");

  @TestHTTPResource("/")
  URL url;

  /**
   * One bad request and what must come back: the HTTP status, the code and reason, and a fragment
   * of the message that names what was wrong.
   */
  record Case(
      String name,
      String method,
      String path,
      String contentType,
      byte[] body,
      boolean withKey,
      int status,
      String code,
      String reason,
      String names) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> catalogue() {
    List<Case> cases = new ArrayList<>();
    // Paths and methods.
    for (String path :
        List.of(
            "/",
            "/nope",
            "/preconfirm/extra",
            "/PRECONFIRM",
            "/q/nothing",
            "/feed",
            "/preconfirm.json",
            "/%7Eroot",
            "/admin",
            "/favicon.ico")) {
      cases.add(
          new Case(
              "GET " + path,
              "GET",
              path,
              null,
              null,
              false,
              404,
              "VALIDATION_FAILED",
              "UNKNOWN_PATH",
              path.replace("%7E", "~")));
    }
    cases.add(
        post("POST to an unknown path", "/preconfirmx", "{}", 404, "UNKNOWN_PATH", "preconfirmx"));
    // Request targets that are not URIs at all, sent as they are: the escape or character named.
    for (String[] target :
        List.of(
            new String[] {"GET", "/info?x=%zz", "\"%zz\" at index 8"},
            new String[] {"GET", "/status?id=%", "\"%\" at index 11"},
            new String[] {"GET", "/nope%4", "\"%4\" at index 5"},
            new String[] {"POST", "/preconfirm?x=%G1", "\"%G1\" at index 14"},
            new String[] {"POST", "/validate?a=b|c", "'|' at index 13"},
            new String[] {"GET", "/info?x=\"", "'\"' at index 8"})) {
      cases.add(
          new Case(
              target[0] + " " + target[1],
              target[0],
              target[1],
              "application/json",
              target[0].equals("POST") ? bytes("{}") : null,
              true,
              400,
              "VALIDATION_FAILED",
              "MALFORMED_REQUEST",
              target[2]));
    }
    for (String function : List.of("preconfirm", "validate", "status", "reconcile", "info")) {
      for (String method : List.of("PUT", "DELETE", "PATCH")) {
        cases.add(
            new Case(
                method + " /" + function,
                method,
                "/" + function,
                "application/json",
                "{}".getBytes(StandardCharsets.UTF_8),
                true,
                405,
                "VALIDATION_FAILED",
                "METHOD_NOT_ALLOWED",
                method));
      }
    }
    // Bodies that are not JSON, or JSON beyond the reader's limits, to every function.
    for (String function : List.of("preconfirm", "validate", "status", "reconcile")) {
      cases.add(
          malformed(
              function, "nested 10,000 deep", "[".repeat(10_000) + "]".repeat(10_000), "depth"));
      cases.add(
          malformed(
              function,
              "a 5,000-digit number",
              "{\"chainId\": " + "9".repeat(5_000) + "}",
              "5000"));
      cases.add(malformed(function, "truncated", "{\"transactions\": [", "end-of-input"));
      cases.add(malformed(function, "a bare word", "hello", "hello"));
      cases.add(malformed(function, "a single quote", "{'a': 1}", "'''"));
      cases.add(malformed(function, "no colon", "{\"a\" 1}", "'1'"));
      cases.add(malformed(function, "a trailing comma", "{\"a\": 1,}", "'}'"));
      cases.add(
          new Case(
              function + ": invalid UTF-8",
              "POST",
              "/" + function,
              "application/json",
              new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xff, (byte) 0xfe, '"', '}'},
              true,
              400,
              "VALIDATION_FAILED",
              "MALFORMED_REQUEST",
              "0xff"));
      cases.add(
          new Case(
              function + ": a body above the limit",
              "POST",
              "/" + function,
              "application/json",
              new byte[11 * 1024 * 1024],
              true,
              413,
              "VALIDATION_FAILED",
              "BODY_TOO_LARGE",
              "10485760"));
    }
    // preconfirm's fields.
    cases.add(fieldCase("preconfirm", "{}", "MISSING_FIELD", "transactions"));
    cases.add(fieldCase("preconfirm", "{\"transactions\": \"0x02\"}", "MALFORMED_REQUEST", "0x02"));
    cases.add(fieldCase("preconfirm", "{\"transactions\": 7}", "MALFORMED_REQUEST", "7"));
    cases.add(fieldCase("preconfirm", "{\"transactions\": [7]}", "MALFORMED_HEX", "\"7\""));
    cases.add(fieldCase("preconfirm", "{\"transactions\": []}", "EMPTY_REQUEST", "transactions"));
    cases.add(fieldCase("preconfirm", "[]", "MALFORMED_REQUEST", "[]"));
    cases.add(fieldCase("preconfirm", "\"text\"", "MALFORMED_REQUEST", "text"));
    cases.add(fieldCase("preconfirm", "42", "MALFORMED_REQUEST", "42"));
    cases.add(fieldCase("preconfirm", "null", "MISSING_FIELD", "nothing"));
    cases.add(
        fieldCase(
            "preconfirm", "{\"transactions\": [], \"atmoic\": 1}", "MALFORMED_REQUEST", "atmoic"));
    cases.add(
        fieldCase(
            "preconfirm",
            "{\"transactions\": [\"0x02\"], \"targetSlot\": \"soon\"}",
            "MALFORMED_REQUEST",
            "soon"));
    cases.add(
        fieldCase(
            "preconfirm",
            "{\"transactions\": [\"0x02\"], \"targetSlot\": 99999999999999999999999}",
            "MALFORMED_REQUEST",
            "99999999999999999999999"));
    cases.add(
        fieldCase(
            "preconfirm",
            "{\"transactions\": [\"0x02\"], \"targetSlot\": -5}",
            "OUT_OF_RANGE",
            "-5"));
    cases.add(
        fieldCase(
            "preconfirm",
            "{\"transactions\": [\"0x02\"], \"targetSlot\": 7.5}",
            "MALFORMED_REQUEST",
            "7.5"));
    cases.add(
        fieldCase(
            "preconfirm",
            "{\"transactions\": [\"0x02\"], \"targetSlot\": 1e400}",
            "MALFORMED_REQUEST",
            "Infinity"));
    cases.add(
        fieldCase(
            "preconfirm",
            "{\"transactions\": [\"0x02\"], \"atomic\": \"yes\"}",
            "MALFORMED_REQUEST",
            "yes"));
    cases.add(
        fieldCase(
            "preconfirm",
            "{\"transactions\": [\"0x02\"], \"targetSlot\": 9007199254740992}",
            "OUT_OF_RANGE",
            "9007199254740992"));
    // status's fields.
    cases.add(fieldCase("status", "{}", "MISSING_FIELD", "chainId"));
    cases.add(
        fieldCase(
            "status",
            "{\"chainId\": \"abc\", \"txHash\": \"" + HASH + "\"}",
            "MALFORMED_REQUEST",
            "abc"));
    cases.add(
        fieldCase(
            "status",
            "{\"chainId\": 123456789012345678901234567890, \"txHash\": \"" + HASH + "\"}",
            "MALFORMED_REQUEST",
            "123456789012345678901234567890"));
    cases.add(
        fieldCase(
            "status", "{\"chainId\": -1, \"txHash\": \"" + HASH + "\"}", "OUT_OF_RANGE", "-1"));
    cases.add(
        fieldCase(
            "status", "{\"chainId\": " + CHAIN + ", \"txHash\": 12}", "MALFORMED_REQUEST", "12"));
    cases.add(
        fieldCase(
            "status", "{\"chainId\": " + CHAIN + ", \"txHash\": \"0x1234\"}", "WRONG_LENGTH", "2"));
    cases.add(
        fieldCase(
            "status", "{\"chainId\": " + CHAIN + ", \"txHash\": \"zz\"}", "MALFORMED_HEX", "zz"));
    cases.add(
        fieldCase(
            "status",
            "{\"chainId\": " + CHAIN + ", \"txHash\": \"0x" + "g".repeat(64) + "\"}",
            "MALFORMED_HEX",
            "g"));
    cases.add(
        fieldCase(
            "status",
            "{\"chainId\": " + CHAIN + ", \"txHash\": \"" + HASH + "\", \"extra\": 1}",
            "MALFORMED_REQUEST",
            "extra"));
    cases.add(fieldCase("status", "[1, 2]", "MALFORMED_REQUEST", "[1,2]"));
    // validate's fields.
    cases.add(fieldCase("validate", "{}", "MISSING_FIELD", "\""));
    cases.add(fieldCase("validate", "{\"chainId\": \"x\"}", "MALFORMED_REQUEST", "\"x\""));
    cases.add(fieldCase("validate", "{\"sequence\": -3}", "MISSING_FIELD", "commitment"));
    cases.add(fieldCase("validate", "[]", "MALFORMED_REQUEST", "[]"));
    // reconcile's fields, with the operator's key.
    cases.add(fieldCase("reconcile", "{}", "MISSING_FIELD", "\""));
    cases.add(fieldCase("reconcile", block("\"number\": \"ten\""), "MALFORMED_REQUEST", "ten"));
    cases.add(fieldCase("reconcile", block("\"number\": 1e30"), "MALFORMED_REQUEST", "1.0E30"));
    cases.add(fieldCase("reconcile", block("\"number\": -2"), "OUT_OF_RANGE", "-2"));
    cases.add(fieldCase("reconcile", block("\"hash\": \"0x12\""), "WRONG_LENGTH", "hash"));
    cases.add(fieldCase("reconcile", block("\"hash\": 5"), "MALFORMED_REQUEST", "5"));
    cases.add(
        fieldCase("reconcile", block("\"parenthash\": \"x\""), "MALFORMED_REQUEST", "parenthash"));
    cases.add(fieldCase("reconcile", block("\"transactions\": [\"0xzz\"]"), "MALFORMED_HEX", "zz"));
    cases.add(fieldCase("reconcile", block("\"transactions\": \"0x\""), "MALFORMED_REQUEST", "0x"));
    cases.add(fieldCase("reconcile", block("\"slot\": \"late\""), "MALFORMED_REQUEST", "late"));
    cases.add(fieldCase("reconcile", block("\"chainId\": 5"), "UNSUPPORTED_CHAIN", "5"));
    // reconcile's gate.
    cases.add(
        new Case(
            "reconcile without a key",
            "POST",
            "/reconcile",
            "application/json",
            bytes(block("")),
            false,
            401,
            "SECURITY_VALIDATION_FAILED",
            "API_KEY_REQUIRED",
            "X-Api-Key"));
    for (String type :
        List.of(
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data",
            "text/json")) {
      cases.add(
          new Case(
              "reconcile as " + type,
              "POST",
              "/reconcile",
              type,
              bytes(block("")),
              true,
              415,
              "VALIDATION_FAILED",
              "UNSUPPORTED_MEDIA_TYPE",
              type));
    }
    return cases.stream();
  }

  private static Case post(
      String name, String path, String body, int status, String reason, String names) {
    return new Case(
        name,
        "POST",
        path,
        "application/json",
        bytes(body),
        true,
        status,
        "VALIDATION_FAILED",
        reason,
        names);
  }

  private static Case malformed(String function, String what, String body, String names) {
    return post(function + ": " + what, "/" + function, body, 400, "MALFORMED_REQUEST", names);
  }

  /** A body the function reads and refuses in its answer (HTTP 200, coded error inside). */
  private static Case fieldCase(String function, String body, String reason, String names) {
    return new Case(
        function + " " + body.substring(0, Math.min(body.length(), 70)),
        "POST",
        "/" + function,
        "application/json",
        bytes(body),
        true,
        200,
        "",
        reason,
        names);
  }

  /**
   * A well-formed block of the edge chain but for {@code override} ({@code "field": value}, raw
   * JSON), which replaces that field or joins them; none of them is ever taken.
   */
  private static String block(String override) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("chainId", Long.toString(CHAIN));
    fields.put("number", "1");
    fields.put("hash", "\"" + HASH + "\"");
    fields.put("parentHash", "\"" + HASH.replace('a', 'c') + "\"");
    fields.put("slot", "1");
    fields.put("transactions", "[]");
    if (!override.isEmpty()) {
      int colon = override.indexOf(':');
      fields.put(
          override.substring(0, colon).trim().replace("\"", ""),
          override.substring(colon + 1).trim());
    }
    return fields.entrySet().stream()
        .map(f -> "\"" + f.getKey() + "\": " + f.getValue())
        .collect(Collectors.joining(", ", "{", "}"));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("catalogue")
  void everyBadInputIsAnsweredInJsonAndConsumesNothing(Case c) throws Exception {
    long before = nextSequence();

    Answer answer = send(c);

    assertThat(answer.status()).as(answer.body()).isEqualTo(c.status());
    assertThat(answer.contentType()).as(answer.body()).startsWith("application/json");
    JsonNode error = errorOf(JSON.readTree(answer.body()));
    assertThat(error).as(answer.body()).isNotNull();
    if (!c.code().isEmpty()) {
      assertThat(error.path("code").asText()).as(answer.body()).isEqualTo(c.code());
    } else {
      assertThat(error.path("code").asText()).as(answer.body()).isNotBlank();
    }
    if (!c.reason().isEmpty()) {
      assertThat(error.path("reason").asText()).as(answer.body()).isEqualTo(c.reason());
    } else {
      assertThat(error.path("reason").asText()).as(answer.body()).isNotBlank();
    }
    String message = error.path("message").asText();
    assertThat(message).as(answer.body()).contains(c.names());
    assertThat(LEAK.matcher(message).find()).as("exception text in: " + message).isFalse();
    assertThat(nextSequence()).as("the next sequence after " + c).isEqualTo(before + 1);
  }

  /** The error of any answer shape: top-level, a not-found's, validate's first, preconfirm's. */
  private static JsonNode errorOf(JsonNode answer) {
    if (answer.has("error")) {
      return answer.get("error");
    }
    if (answer.path("errors").size() > 0) {
      return answer.get("errors").get(0);
    }
    if (answer.path("rejected").size() > 0) {
      return answer.get("rejected").get(0);
    }
    return null;
  }

  /** What came back: the status, the Content-Type (empty when absent) and the body. */
  private record Answer(int status, String contentType, String body) {}

  private Answer send(Case c) throws Exception {
    if (!isUri(c.path())) {
      return sendRaw(c);
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + url.getPort() + c.path()))
            .method(
                c.method(),
                c.body() == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(c.body()));
    if (c.contentType() != null) {
      request.header("Content-Type", c.contentType());
    }
    if (c.withKey()) {
      request.header("X-Api-Key", KEY);
    }
    HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
  }

  private static boolean isUri(String target) {
    try {
      new URI(target);
      return true;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  /**
   * Sends {@code c} over a plain socket, its target byte for byte as written (an HTTP client
   * refuses to send a target that is not a URI), and reads the answer until the server closes.
   */
  private Answer sendRaw(Case c) throws Exception {
    byte[] body = c.body() == null ? new byte[0] : c.body();
    StringBuilder head =
        new StringBuilder(c.method() + " " + c.path() + " HTTP/1.1\r\n")
            .append("Host: 127.0.0.1:" + url.getPort() + "\r\n")
            .append("Connection: close\r\n")
            .append("Content-Length: " + body.length + "\r\n");
    if (c.contentType() != null) {
      head.append("Content-Type: " + c.contentType() + "\r\n");
    }
    if (c.withKey()) {
      head.append("X-Api-Key: " + KEY + "\r\n");
    }
    head.append("\r\n");
    try (Socket socket = new Socket("127.0.0.1", url.getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      String raw = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int end = raw.indexOf("\r\n\r\n");
      assertThat(end).as(raw).isPositive();
      String[] lines = raw.substring(0, end).split("\r\n");
      String type = "";
      for (String line : lines) {
        if (line.regionMatches(true, 0, "Content-Type:", 0, 13)) {
          type = line.substring(13).trim();
        }
      }
      return new Answer(Integer.parseInt(lines[0].split(" ")[1]), type, raw.substring(end + 4));
    }
  }

  /**
   * Preconfirms one fresh transfer on the edge chain: its lane sequence. The first of a run may
   * meet cold connections to the servers, so it is tried again while they warm up.
   */
  private long nextSequence() throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        return preconfirmOne();
      } catch (AssertionError cold) {
        if (attempt == 3 || warm) {
          throw cold;
        }
      }
    }
  }

  private static volatile boolean warm;

  private long preconfirmOne() throws Exception {
    String body =
        JSON.writeValueAsString(Map.of("transactions", List.of(Txs.transfer(EdgeChain.CHAIN))));
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + url.getPort() + "/preconfirm"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode p = JSON.readTree(r.body()).path("preconfirmations").path(0);
    assertThat(p.has("sequence")).as(r.body()).isTrue();
    warm = true;
    return p.get("sequence").asLong();
  }
}
