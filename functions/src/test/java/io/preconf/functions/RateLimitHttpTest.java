package io.preconf.functions;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.crypto.EcdsaSigner;
import io.preconf.core.types.ChainId;
import io.preconf.infra.LocalServers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.net.URL;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The per-sender and per-client limits of {@code preconfirm}, small here, counted in the real
 * Redis: a refusal is RATE_LIMITED, HTTP 429 with Retry-After, names the limit and whom it limits,
 * and takes no lane position; every client here has an API key or address of its own. Windows
 * refilling is shown against Redis directly (infra's {@code SenderLimitedLanesTest}); here they are
 * long, so that a slow first request on a busy machine does not outlast one.
 */
@QuarkusTest
@TestProfile(RateLimitHttpTest.Limits.class)
@QuarkusTestResource(LocalServers.class)
class RateLimitHttpTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A rollup of this run's own, so that its lane's sequences count only these tests' promises. */
  public static final class Limits implements QuarkusTestProfile {
    static final ChainId CHAIN =
        ChainId.of(
            Long.parseLong(
                System.getProperties()
                    .computeIfAbsent(
                        "limits-test-chain-id",
                        k -> Long.toString(270_000_000L + RANDOM.nextInt(100_000_000)))
                    .toString()));

    @Override
    public Map<String, String> getConfigOverrides() {
      Map<String, String> c = new HashMap<>();
      c.put("preconf.rollups[2].chain-id", Long.toString(CHAIN.value()));
      c.put("preconf.rollups[2].name", "limits-test");
      c.put("preconf.rollups[2].genesis-time-ms", "1735689600000");
      c.put("preconf.rollups[2].slot-duration-ms", "12000");
      c.put("preconf.limits.sender-max", "3");
      c.put("preconf.limits.sender-window", "30s");
      c.put("preconf.limits.client-max", "6");
      c.put("preconf.limits.client-window", "30s");
      c.put("preconf.limits.client-address-header", "X-Forwarded-For");
      c.put("preconf.infra.postgres.timeout", "15s");
      return c;
    }
  }

  private static final ChainId CHAIN = Limits.CHAIN;

  @TestHTTPResource("/")
  URL url;

  private Response preconfirm(String header, String value, List<String> txs) {
    return given()
        .port(url.getPort())
        .contentType(ContentType.JSON)
        .header(header, value)
        .body(Map.of("transactions", txs))
        .post("/preconfirm");
  }

  private static String randomAddress() {
    return "10." + RANDOM.nextInt(256) + "." + RANDOM.nextInt(256) + "." + RANDOM.nextInt(256);
  }

  private static List<String> fromOthers(int n) {
    return IntStream.range(0, n).mapToObj(i -> Txs.transfer(CHAIN)).toList();
  }

  @Test
  void aBurstOverTheSenderLimitIsRefusedWithRetryAfterAndTakesNoPosition() {
    EcdsaSigner sender = Txs.randomSender();
    String client = randomAddress();
    JsonPath first =
        preconfirm(
                "X-Forwarded-For",
                client,
                List.of(
                    Txs.transfer(CHAIN, sender, 0),
                    Txs.transfer(CHAIN, sender, 1),
                    Txs.transfer(CHAIN, sender, 2)))
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(first.getList("preconfirmations")).as(first.prettify()).hasSize(3);
    long last = first.getLong("preconfirmations[2].sequence");

    Response over = preconfirm("X-Forwarded-For", client, List.of(Txs.transfer(CHAIN, sender, 3)));

    assertThat(over.statusCode()).as(over.asString()).isEqualTo(429);
    assertThat(Long.parseLong(over.header("Retry-After"))).isEqualTo(30L);
    JsonPath refused = over.jsonPath();
    assertThat(refused.getList("preconfirmations")).isEmpty();
    assertThat(refused.getString("rejected[0].code")).isEqualTo("SECURITY_VALIDATION_FAILED");
    assertThat(refused.getString("rejected[0].reason")).isEqualTo("RATE_LIMITED");
    assertThat(refused.getString("rejected[0].message"))
        .contains("preconf.limits.sender-max", sender.address().toString(), "retry after");

    // Another sender is unaffected, and its position follows straight on: none was taken.
    JsonPath other =
        preconfirm("X-Forwarded-For", client, fromOthers(1))
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(other.getLong("preconfirmations[0].sequence")).isEqualTo(last + 1);
  }

  @Test
  void aClientOverItsLimitByApiKeyIsRefusedWhileAnotherKeyIsNot() {
    String key = "limits-" + UUID.randomUUID();
    assertThat(preconfirm("X-Api-Key", key, fromOthers(6)).statusCode()).isEqualTo(200);

    Response over = preconfirm("X-Api-Key", key, fromOthers(1));

    assertThat(over.statusCode()).as(over.asString()).isEqualTo(429);
    assertThat(Long.parseLong(over.header("Retry-After"))).isBetween(1L, 30L);
    JsonPath refused = over.jsonPath();
    assertThat(refused.getString("error.reason")).isEqualTo("RATE_LIMITED");
    assertThat(refused.getString("error.message"))
        .contains("preconf.limits.client-max", "API key \"" + key.substring(0, 4))
        .doesNotContain(key);
    assertThat(refused.getList("preconfirmations")).isEmpty();

    String another = "limits-" + UUID.randomUUID();
    JsonPath fine =
        preconfirm("X-Api-Key", another, fromOthers(1)).then().statusCode(200).extract().jsonPath();
    assertThat(fine.getList("preconfirmations")).hasSize(1);
  }

  @Test
  void aClientOverItsLimitByAddressIsRefusedOverHttpAndJsonRpc() {
    String address = randomAddress();
    assertThat(preconfirm("X-Forwarded-For", address, fromOthers(6)).statusCode()).isEqualTo(200);

    Response over = preconfirm("X-Forwarded-For", "192.0.2.1, " + address, fromOthers(1));
    assertThat(over.statusCode()).as(over.asString()).isEqualTo(429);
    assertThat(over.jsonPath().getString("error.message"))
        .contains("client address " + address, "preconf.limits.client-max");

    JsonPath rpc =
        given()
            .port(url.getPort())
            .contentType(ContentType.JSON)
            .header("X-Forwarded-For", address)
            .body(
                Map.of(
                    "jsonrpc",
                    "2.0",
                    "id",
                    7,
                    "method",
                    "eth_sendRawTransaction",
                    "params",
                    List.of(Txs.transfer(CHAIN))))
            .post("/rpc/" + CHAIN.value())
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(rpc.getInt("error.code")).as(rpc.prettify()).isEqualTo(-32005);
    assertThat(rpc.getString("error.data.reason")).isEqualTo("RATE_LIMITED");
    assertThat(rpc.getString("error.data.message")).contains("client address " + address);

    JsonPath elsewhere =
        preconfirm("X-Forwarded-For", randomAddress(), fromOthers(1))
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(elsewhere.getList("preconfirmations")).hasSize(1);
  }
}
