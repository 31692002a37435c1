package io.preconf.functions;

import static io.preconf.functions.Txs.ALPHA;
import static io.preconf.functions.Txs.BETA;
import static io.preconf.functions.Txs.transfer;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.commit.Status;
import io.preconf.core.commit.TrackedPreconfirmation;
import io.preconf.core.crypto.EcdsaSigner;
import io.preconf.core.engine.IndexedRejection;
import io.preconf.core.engine.PreconfirmResult;
import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.Rejection;
import io.preconf.core.status.PromiseStatus;
import io.preconf.infra.LocalServers;
import io.preconf.wire.FunctionResponses;
import io.preconf.wire.PreconfirmationCodec;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.vertx.ext.web.Router;
import jakarta.inject.Inject;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every function over HTTP, end to end against real Redis and PostgreSQL. */
@QuarkusTest
@QuarkusTestResource(LocalServers.class)
class FunctionsHttpTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TestHTTPResource("/")
  URL url;

  private RequestSpecification http() {
    return given().port(url.getPort()).contentType(ContentType.JSON);
  }

  private JsonPath call(String function, Object body) {
    return http().body(body).post("/" + function).then().statusCode(200).extract().jsonPath();
  }

  private JsonPath preconfirm(boolean atomic, String... txs) {
    return call("preconfirm", Map.of("transactions", List.of(txs), "atomic", atomic));
  }

  @Inject Router router;

  /**
   * POST /preconfirm reaches its own route, served on the event loop, before Funqy's catch-all
   * route for every function, which would hand it to a worker and back: of the routes whose path
   * takes it, in the router's order, the first is its own.
   */
  @Test
  void preconfirmIsServedByItsOwnRouteAheadOfFunqys() {
    assertThat(RouteOrder.firstPostRouteFor(router, "/preconfirm")).isEqualTo("/preconfirm");
  }

  // ------------------------------------------------------------------ info

  @Test
  void infoPublishesSignerPostQuantumKeyAndTwoRollups() {
    http()
        .body("{}")
        .post("/info")
        .then()
        .statusCode(200)
        .body("signer", containsString("0x"))
        .body("pqPublicKey.length()", equalTo(2 + 2 * 1952))
        .body("rollups", hasSize(2))
        .body("rollups[0].chainId", equalTo(167000))
        .body("rollups[1].chainId", equalTo(167001))
        .body("rollups[0].currentSlot", notNullValue())
        .body("rollups[0].minPriorityFeeWei", equalTo("1000000"))
        .body("version", notNullValue());
  }

  // ------------------------------------------------------------------ preconfirm

  @Test
  void preconfirmAnswersWithTheSpecShapeAndResubmissionIsIdempotent() {
    EcdsaSigner sender = Txs.randomSender();
    String tx = transfer(ALPHA, sender, 0);
    JsonPath first = preconfirm(false, tx);

    assertThat(first.getList("rejected")).isEmpty();
    Map<String, Object> p = first.getMap("preconfirmations[0]");
    assertThat(p)
        .containsKeys(
            "id",
            "chainId",
            "txHash",
            "sender",
            "nonce",
            "sequence",
            "previous",
            "receivedAt",
            "targetSlot",
            "proof",
            "commitment");
    assertThat(p.get("chainId")).isEqualTo(167000);
    assertThat(p.get("sender")).isEqualTo(sender.address().toHex());
    assertThat((String) p.get("id")).matches("0x[0-9a-f]{64}");
    assertThat(first.getString("preconfirmations[0].commitment.signature"))
        .matches("0x[0-9a-f]{130}");
    assertThat(first.getString("preconfirmations[0].commitment.pqSignature")).hasSize(2 + 2 * 3309);
    assertThat(first.getBoolean("preconfirmations[0].commitment.atomic")).isFalse();

    JsonPath again = preconfirm(false, tx);
    assertThat(again.getMap("preconfirmations[0]")).isEqualTo(p);
  }

  @Test
  void answersAreTheWireCodecsBytesVerbatim() throws Exception {
    String raw =
        http()
            .body(Map.of("transactions", List.of(transfer(BETA), "0x02")))
            .post("/preconfirm")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    JsonNode answer = JSON.readTree(raw);
    Preconfirmation p =
        PreconfirmationCodec.fromJson(answer.get("preconfirmations").get(0).toString());
    JsonNode refusal = answer.get("rejected").get(0);
    Rejection why =
        Rejection.of(
            ErrorCode.valueOf(refusal.get("code").asText()),
            Reason.valueOf(refusal.get("reason").asText()),
            refusal.get("message").asText());

    assertThat(raw)
        .isEqualTo(
            FunctionResponses.preconfirm(
                    new PreconfirmResult(List.of(p), List.of(new IndexedRejection(1, why)), null))
                .toString());
    String status =
        http()
            .body(Map.of("chainId", 167001, "txHash", p.txHash().toHex()))
            .post("/status")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertThat(status)
        .isEqualTo(
            FunctionResponses.status(
                    new PromiseStatus.Found(
                        new TrackedPreconfirmation(p, Status.PRECONFIRMED, null),
                        Status.PRECONFIRMED,
                        List.of()))
                .toString());
  }

  @Test
  void atomicCrossRollupBundleIsPromisedUnderOneRoot() {
    JsonPath r = preconfirm(true, transfer(ALPHA), transfer(BETA));

    assertThat(r.getList("preconfirmations")).hasSize(2);
    assertThat(r.getString("preconfirmations[0].commitment.root"))
        .isEqualTo(r.getString("preconfirmations[1].commitment.root"));
    assertThat(r.getList("preconfirmations[0].proof")).hasSize(1);
    assertThat(r.getInt("preconfirmations[1].chainId")).isEqualTo(167001);
  }

  @Test
  void atomicBundleWithABadLegPromisesNothing() {
    String good = transfer(ALPHA);
    JsonPath r = preconfirm(true, good, "0x02");

    assertThat(r.getList("preconfirmations")).isEmpty();
    assertThat(r.getList("rejected.index")).containsExactly(0, 1);
    assertThat(r.getString("rejected[0].reason")).isEqualTo("BUNDLE_REJECTED");
    assertThat(r.getString("rejected[1].code")).isEqualTo("INVALID_TRANSACTION");
    // The good leg was not consumed: it can still be promised on its own.
    assertThat(preconfirm(false, good).getList("preconfirmations")).hasSize(1);
  }

  @Test
  void sameSenderAndNonceTwiceIsANonceConflict() {
    EcdsaSigner sender = Txs.randomSender();
    preconfirm(false, transfer(ALPHA, sender, 3));
    String rival =
        io.preconf.core.tx.TransactionBuilder.on(ALPHA)
            .nonce(3)
            .to(Txs.randomSender().address())
            .value(java.math.BigInteger.TEN)
            .sign(sender)
            .toHex();
    JsonPath r = preconfirm(false, rival);

    assertThat(r.getList("preconfirmations")).isEmpty();
    assertThat(r.getString("rejected[0].reason")).isEqualTo("NONCE_CONFLICT");
    assertThat(r.getString("rejected[0].message")).contains(sender.address().toHex());
  }

  @Test
  void badTransactionsAreRejectedByIndexNamingTheValue() {
    String unserved = transfer(io.preconf.core.types.ChainId.of(5));
    JsonPath r = preconfirm(false, "0xzz", unserved, "0x03c0", "deadbeef");

    assertThat(r.getList("preconfirmations")).isEmpty();
    assertThat(r.getList("rejected.reason"))
        .containsExactly(
            "MALFORMED_HEX", "UNSUPPORTED_CHAIN", "UNSUPPORTED_TX_TYPE", "MALFORMED_HEX");
    assertThat(r.getString("rejected[1].message")).contains("chain id 5");
    assertThat(r.getString("rejected[3].message")).contains("deadbeef");
  }

  @Test
  void malformedRequestsGetCodedErrors() {
    http()
        .body("{\"transactions\": [")
        .post("/preconfirm")
        .then()
        .statusCode(400)
        .body("error.code", equalTo("VALIDATION_FAILED"))
        .body("error.reason", equalTo("MALFORMED_REQUEST"))
        .body("error.message", containsString("not valid JSON"));

    assertThat(call("preconfirm", Map.of()).getString("error.reason")).isEqualTo("MISSING_FIELD");
    assertThat(call("preconfirm", Map.of("transactions", "0x02")).getString("error.message"))
        .contains("\"transactions\" must be a list");
    assertThat(
            call("preconfirm", Map.of("transactions", List.of(), "atmoic", true))
                .getString("error.message"))
        .contains("\"atmoic\"");
    assertThat(
            call(
                    "preconfirm",
                    Map.of("transactions", List.of(transfer(ALPHA)), "targetSlot", "soon"))
                .getString("error.message"))
        .contains("targetSlot")
        .contains("soon");
    assertThat(call("preconfirm", Map.of("transactions", List.of())).getString("error.reason"))
        .isEqualTo("EMPTY_REQUEST");
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 257; i++) {
      many.add("0x00");
    }
    assertThat(call("preconfirm", Map.of("transactions", many)).getString("error.reason"))
        .isEqualTo("TOO_MANY_TRANSACTIONS");
  }

  // ------------------------------------------------------------------ validate

  @Test
  void validateAcceptsAnIssuedPreconfirmationAndItsRawTransaction() {
    String tx = transfer(ALPHA);
    Map<String, Object> p = preconfirm(false, tx).getMap("preconfirmations[0]");
    Map<String, Object> withRaw = new java.util.HashMap<>(p);
    withRaw.put("rawTransaction", tx);

    JsonPath r = call("validate", withRaw);
    assertThat(r.getBoolean("valid")).isTrue();
    assertThat(r.getList("errors")).isEmpty();
  }

  @Test
  @SuppressWarnings("unchecked")
  void validateListsWhatIsWrongWithATamperedPreconfirmation() {
    Map<String, Object> p =
        new java.util.HashMap<>(preconfirm(false, transfer(ALPHA)).getMap("preconfirmations[0]"));
    Map<String, Object> c = new java.util.HashMap<>((Map<String, Object>) p.get("commitment"));
    c.put("expiresAt", ((Number) c.get("expiresAt")).longValue() + 1_000);
    p.put("commitment", c);

    JsonPath r = call("validate", p);
    assertThat(r.getBoolean("valid")).isFalse();
    assertThat(r.getList("errors.code")).containsExactly("INVALID_SIGNATURE");
  }

  @Test
  void validateRefusesMalformedFieldsNamingThem() {
    Map<String, Object> p =
        new java.util.HashMap<>(preconfirm(false, transfer(ALPHA)).getMap("preconfirmations[0]"));
    p.put("txHash", "0x1234");
    JsonPath shortHash = call("validate", p);
    assertThat(shortHash.getBoolean("valid")).isFalse();
    assertThat(shortHash.getString("errors[0].reason")).isEqualTo("WRONG_LENGTH");
    assertThat(shortHash.getString("errors[0].message")).contains("txHash").contains("2 bytes");

    p.remove("txHash");
    assertThat(call("validate", p).getString("errors[0].reason")).isEqualTo("MISSING_FIELD");

    p.put("txHash", "0x" + "00".repeat(32));
    p.put("nonce", "seven");
    assertThat(call("validate", p).getString("errors[0].message")).contains("nonce");
  }

  // ------------------------------------------------------------------ status

  @Test
  void statusReportsAPreconfirmedTransaction() {
    Map<String, Object> p = preconfirm(false, transfer(BETA)).getMap("preconfirmations[0]");
    JsonPath s = call("status", Map.of("chainId", 167001, "txHash", p.get("txHash")));

    assertThat(s.getString("status")).isEqualTo("PRECONFIRMED");
    assertThat(s.getString("id")).isEqualTo(p.get("id"));
    assertThat(s.getMap("commitment")).isEqualTo(p.get("commitment"));
  }

  @Test
  void statusOfAnUnknownTransactionIsAClearNotFound() {
    String unknown = "0x" + "ab".repeat(32);
    call("status", Map.of("chainId", 167000, "txHash", unknown));
    http()
        .body(Map.of("chainId", 167000, "txHash", unknown))
        .post("/status")
        .then()
        .statusCode(200)
        .body("found", equalTo(false))
        .body("error.reason", equalTo("NOT_FOUND"))
        .body("error.message", containsString(unknown));
    http()
        .body(Map.of("chainId", 1, "txHash", unknown))
        .post("/status")
        .then()
        .body("error.reason", equalTo("UNSUPPORTED_CHAIN"));
    http()
        .body(Map.of("chainId", 167000, "txHash", "0xabc"))
        .post("/status")
        .then()
        .body("error.reason", equalTo("MALFORMED_HEX"))
        .body("id", nullValue());
  }

  // ------------------------------------------------------------------ operations

  @Test
  void readinessChecksRedisAndPostgresAndMetricsAreExported() {
    given()
        .port(url.getPort())
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("status", equalTo("UP"))
        .body(
            "checks.name",
            org.hamcrest.Matchers.hasItems(
                org.hamcrest.Matchers.containsStringIgnoringCase("redis"),
                org.hamcrest.Matchers.containsStringIgnoringCase("postgresql")));
    preconfirm(false, "0xzz");
    String metrics =
        given().port(url.getPort()).get("/q/metrics").then().statusCode(200).extract().asString();
    assertThat(metrics).contains("preconf_function_seconds_bucket{function=\"preconfirm\"");
    assertThat(metrics).contains("preconf_rejected_total{reason=\"MALFORMED_HEX\"}");
    assertThat(metrics).contains("preconf_generated_total");
  }
}
