package io.preconf.functions;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.preconf.infra.LocalServers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.net.URL;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Forged finality: a block posted without the operator's key, or as a body a web page may send
 * without a preflight, moves nothing; a made-up block far above the head is refused, never taken as
 * a new start, and the genuine chain is still taken after it.
 */
@QuarkusTest
@TestProfile(EdgeChain.class)
@QuarkusTestResource(LocalServers.class)
class ReconcileGateTest {
  private static final String KEY = "test-operator-key";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TestHTTPResource("/")
  URL url;

  private Map<String, Object> promise() {
    JsonPath r =
        FunctionCall.post(
            url,
            "preconfirm",
            Map.of(
                "transactions",
                List.of(Txs.transfer(EdgeChain.CHAIN)),
                "targetSlot",
                EdgeChain.currentSlot() + 20));
    assertThat(r.getList("preconfirmations")).as(r.prettify()).hasSize(1);
    return r.getMap("preconfirmations[0]");
  }

  private String status(Map<String, Object> p) {
    return FunctionCall.post(
            url, "status", Map.of("chainId", EdgeChain.CHAIN.value(), "txHash", p.get("txHash")))
        .getString("status");
  }

  private Response reconcile(Map<String, Object> block, String key, ContentType type) {
    var request = given().port(url.getPort()).contentType(type);
    if (key != null) {
      request.header("X-Api-Key", key);
    }
    // The same JSON whatever the declared type: only the Content-Type differs.
    return request.body(JSON.valueToTree(block).toString()).post("/reconcile");
  }

  private static Map<String, Object> block(long number, String hash, String parent, Object... txs) {
    return Map.of(
        "chainId",
        EdgeChain.CHAIN.value(),
        "number",
        number,
        "hash",
        hash,
        "parentHash",
        parent,
        "slot",
        EdgeChain.currentSlot(),
        "transactions",
        List.of(txs));
  }

  @Test
  void aForgedBlockWithoutTheKeyOrAsPlainTextMovesNothing() {
    Map<String, Object> p = promise();
    Map<String, Object> forged =
        block(
            FinalityChain.freshHeight(),
            FinalityChain.randomHash(),
            FinalityChain.randomHash(),
            p.get("txHash"));

    Response none = reconcile(forged, null, ContentType.JSON);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.jsonPath().getString("error.reason")).isEqualTo("API_KEY_REQUIRED");

    Response wrong = reconcile(forged, "guessed-key-123", ContentType.JSON);
    assertThat(wrong.statusCode()).isEqualTo(403);
    assertThat(wrong.jsonPath().getString("error.reason")).isEqualTo("UNKNOWN_API_KEY");
    assertThat(wrong.asString()).doesNotContain("guessed-key-123");

    Response text = reconcile(forged, KEY, ContentType.TEXT);
    assertThat(text.statusCode()).isEqualTo(415);
    assertThat(text.jsonPath().getString("error.reason")).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
    assertThat(text.jsonPath().getString("error.message")).contains("text/plain");

    assertThat(status(p)).isEqualTo("PRECONFIRMED");
  }

  @Test
  void aBlockAMillionAheadIsRefusedAndTheGenuineNextBlockIsStillTaken() {
    Map<String, Object> p = promise();
    long n = 1_000;
    String head = FinalityChain.randomHash();
    JsonPath first =
        reconcile(block(n, head, FinalityChain.randomHash()), KEY, ContentType.JSON).jsonPath();
    assertThat(first.getString("outcome")).as(first.prettify()).isEqualTo("APPLIED");

    JsonPath far =
        reconcile(
                block(n + 1_000_000, FinalityChain.randomHash(), FinalityChain.randomHash()),
                KEY,
                ContentType.JSON)
            .jsonPath();
    assertThat(far.getString("outcome")).isEqualTo("REFUSED");
    assertThat(far.getString("error.reason")).isEqualTo("TOO_FAR_AHEAD");
    assertThat(far.getString("error.message"))
        .contains(Long.toString(n + 1_000_000))
        .contains(Long.toString(EdgeChain.MAX_AHEAD));

    JsonPath genuine =
        reconcile(
                block(n + 1, FinalityChain.randomHash(), head, p.get("txHash")),
                KEY,
                ContentType.JSON)
            .jsonPath();
    assertThat(genuine.getString("outcome")).as(genuine.prettify()).isEqualTo("APPLIED");
    assertThat(status(p)).isEqualTo("INCLUDED");
  }
}
