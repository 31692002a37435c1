package io.preconf.functions;

import static io.preconf.functions.Txs.ALPHA;
import static io.preconf.functions.Txs.BETA;
import static io.preconf.functions.Txs.transfer;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.preconf.core.commit.CommitmentTypedData;
import io.preconf.core.crypto.EcdsaSigner;
import io.preconf.core.types.Hash32;
import io.preconf.functions.http.ValidateRoute;
import io.preconf.infra.LocalServers;
import io.preconf.wire.FunctionRequests;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import jakarta.inject.Inject;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /validate} is served by its own route on the event loop, which reads well-formed
 * bodies with a streaming parser: its answers are byte for byte those of the Funqy function (the
 * one Lambda runs) for the same body, one preconfirmation or many.
 */
@QuarkusTest
@QuarkusTestResource(LocalServers.class)
class ValidateHttpTest {
  @TestHTTPResource("/")
  URL url;

  @Inject Router router;
  @Inject Functions functions;
  @Inject ObjectMapper json;

  private String post(String function, String body) {
    Response r =
        given()
            .port(url.getPort())
            .contentType(ContentType.JSON)
            .body(body)
            .post("/" + function)
            .then()
            .extract()
            .response();
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
    return r.asString();
  }

  private ObjectNode issued(String tx) throws Exception {
    JsonNode answer = json.readTree(post("preconfirm", "{\"transactions\":[\"" + tx + "\"]}"));
    return (ObjectNode) answer.get("preconfirmations").get(0);
  }

  /** What the route answers, checked against what Funqy's function answers for the same body. */
  private String validated(String body) throws Exception {
    String routed = post("validate", body);
    JsonNode tree = body.isEmpty() ? null : json.readTree(body);
    String funqy = json.writeValueAsString(functions.validate(tree).await().indefinitely());
    assertThat(routed).as(body).isEqualTo(funqy);
    return routed;
  }

  @Test
  void validateIsServedByItsOwnRouteAheadOfFunqys() {
    List<Route> routes = router.getRoutes();
    int own = -1;
    for (int i = 0; i < routes.size() && own < 0; i++) {
      own = ValidateRoute.NAME.equals(routes.get(i).getName()) ? i : -1;
    }
    assertThat(own).as("the route is in the router").isNotNegative();
    String funqys = RouteOrder.firstPostRouteFor(router, "/validate");
    assertThat(routes.subList(0, own))
        .as("no route ahead of it serves /validate")
        .extracting(Route::getPath)
        .doesNotContain(funqys);
  }

  @Test
  void answersAsTheFunctionDoesForValidTamperedWrongSignerAndMalformedBodies() throws Exception {
    String tx = transfer(ALPHA);
    ObjectNode valid = issued(tx);
    List<String> bodies = new ArrayList<>();
    bodies.add(valid.toString());
    bodies.add(valid.toString());
    bodies.add(valid.deepCopy().put("rawTransaction", tx).toString());
    bodies.add(valid.deepCopy().put("rawTransaction", transfer(ALPHA)).toString());

    ObjectNode later = valid.deepCopy();
    ObjectNode laterCommitment = (ObjectNode) later.get("commitment");
    laterCommitment.put("expiresAt", laterCommitment.get("expiresAt").asLong() + 1_000);
    bodies.add(later.toString());

    bodies.add(wrongSigner(valid).toString());

    ObjectNode otherLeaf = valid.deepCopy().put("nonce", 1);
    bodies.add(otherLeaf.toString());

    ObjectNode shortHash = valid.deepCopy().put("txHash", "0x1234");
    bodies.add(shortHash.toString());
    ObjectNode noNonce = valid.deepCopy();
    noNonce.remove("nonce");
    bodies.add(noNonce.toString());
    bodies.add(valid.deepCopy().put("nonce", "seven").toString());
    bodies.add(valid.toString().replaceFirst("\\{", "{\"nonce\":99,"));
    bodies.add("[1,2]");
    bodies.add("{}");
    bodies.add("");

    for (String body : bodies) {
      validated(body);
    }
    assertThat(json.readTree(validated(valid.toString())).get("valid").asBoolean()).isTrue();
    assertThat(json.readTree(validated(later.toString())).at("/errors/0/code").asText())
        .isEqualTo("INVALID_SIGNATURE");
    assertThat(
            json.readTree(validated(wrongSigner(valid).toString())).at("/errors/0/reason").asText())
        .isEqualTo("UNTRUSTED_SIGNER");
  }

  @Test
  void aSignatureDifferingFromAVerifiedOneIsVerifiedNotAcceptedOnItsRoot() throws Exception {
    ObjectNode valid = issued(transfer(BETA));
    assertThat(json.readTree(validated(valid.toString())).get("valid").asBoolean()).isTrue();

    String pq = valid.at("/commitment/pqSignature").asText();
    String last = pq.substring(pq.length() - 1);
    ObjectNode altered = valid.deepCopy();
    ((ObjectNode) altered.get("commitment"))
        .put("pqSignature", pq.substring(0, pq.length() - 1) + (last.equals("0") ? "1" : "0"));
    JsonNode answer = json.readTree(validated(altered.toString()));
    assertThat(answer.get("valid").asBoolean()).isFalse();
    assertThat(answer.at("/errors/0/reason").asText()).isEqualTo("BAD_QUANTUM_SIGNATURE");
  }

  @Test
  void aCommitmentDifferingFromAVerifiedOneInAnyFieldIsCheckedAsNewAndRefused() throws Exception {
    ObjectNode valid = issued(transfer(ALPHA));
    assertThat(json.readTree(validated(valid.toString())).get("valid").asBoolean()).isTrue();
    JsonNode c = valid.get("commitment");
    List<ObjectNode> altered = new ArrayList<>();
    for (String field : List.of("root", "signer", "signature", "pqSignature")) {
      String hex = c.get(field).asText();
      for (int at : new int[] {2, hex.length() / 2, hex.length() - 1}) {
        altered.add(
            withCommitmentField(valid, field, json.getNodeFactory().textNode(flip(hex, at))));
      }
    }
    for (String field : List.of("issuedAt", "expiresAt")) {
      long n = c.get(field).asLong();
      altered.add(withCommitmentField(valid, field, json.getNodeFactory().numberNode(n - 1)));
      altered.add(withCommitmentField(valid, field, json.getNodeFactory().numberNode(n + 1)));
    }
    altered.add(
        withCommitmentField(
            valid, "atomic", json.getNodeFactory().booleanNode(!c.get("atomic").asBoolean())));

    for (ObjectNode body : altered) {
      JsonNode answer = json.readTree(validated(body.toString()));
      assertThat(answer.get("valid").asBoolean()).as(body.get("commitment").toString()).isFalse();
    }
    assertThat(json.readTree(validated(valid.toString())).get("valid").asBoolean()).isTrue();
  }

  private static ObjectNode withCommitmentField(ObjectNode p, String field, JsonNode value) {
    ObjectNode out = p.deepCopy();
    ((ObjectNode) out.get("commitment")).set(field, value);
    return out;
  }

  /** {@code hex} with its digit at {@code at} replaced by another digit. */
  private static String flip(String hex, int at) {
    char other = hex.charAt(at) == '0' ? '1' : '0';
    return hex.substring(0, at) + other + hex.substring(at + 1);
  }

  @Test
  void aBatchAnswersEachPreconfirmationAsValidateAnswersItAloneInOrder() throws Exception {
    ObjectNode a = issued(transfer(ALPHA));
    ObjectNode b = issued(transfer(BETA));
    ObjectNode tampered = b.deepCopy().put("sequence", b.get("sequence").asLong() + 1);
    ObjectNode malformed = a.deepCopy().put("sender", "0x12");
    List<JsonNode> each = List.of(a, tampered, wrongSigner(a), b, malformed, json.readTree("7"));

    ObjectNode batch = json.createObjectNode();
    batch.putArray("preconfirmations").addAll(each);
    batch.putArray("rejected");
    JsonNode answer = json.readTree(validated(batch.toString()));

    ArrayNode results = (ArrayNode) answer.get("results");
    assertThat(results).hasSize(each.size());
    for (int i = 0; i < each.size(); i++) {
      assertThat(results.get(i))
          .as("result %d", i)
          .isEqualTo(json.readTree(validated(each.get(i).toString())));
    }
    assertThat(results.get(0).get("valid").asBoolean()).isTrue();
    assertThat(results.get(1).get("valid").asBoolean()).isFalse();
    assertThat(results.get(3).get("valid").asBoolean()).isTrue();

    assertThat(validated("{\"preconfirmations\":[]}")).isEqualTo("{\"results\":[]}");
  }

  @Test
  void aBatchAboveTheBoundOrNotAListIsRefusedWholeNamingIt() throws Exception {
    ObjectNode a = issued(transfer(ALPHA));
    String body =
        "{\"preconfirmations\":["
            + String.join(
                ",", Collections.nCopies(FunctionRequests.MAX_VALIDATIONS + 1, a.toString()))
            + "]}";
    JsonNode tooMany = json.readTree(validated(body));
    assertThat(tooMany.get("results")).isEmpty();
    assertThat(tooMany.at("/error/code").asText()).isEqualTo("VALIDATION_FAILED");
    assertThat(tooMany.at("/error/reason").asText()).isEqualTo("TOO_MANY_PRECONFIRMATIONS");
    assertThat(tooMany.at("/error/message").asText()).contains("501").contains("500");

    JsonNode notList = json.readTree(validated("{\"preconfirmations\":{\"id\":1}}"));
    assertThat(notList.at("/error/reason").asText()).isEqualTo("MALFORMED_REQUEST");
    assertThat(notList.at("/error/message").asText()).contains("preconfirmations");
  }

  /** The preconfirmation with its commitment signed, validly, by a key nobody trusts. */
  private ObjectNode wrongSigner(ObjectNode p) {
    ObjectNode out = p.deepCopy();
    ObjectNode c = (ObjectNode) out.get("commitment");
    Hash32 digest =
        CommitmentTypedData.digest(
            Hash32.fromHex("root", c.get("root").asText()),
            c.get("issuedAt").asLong(),
            c.get("expiresAt").asLong(),
            c.get("atomic").asBoolean());
    EcdsaSigner stranger = Txs.randomSender();
    c.put("signer", stranger.address().toHex());
    c.put("signature", stranger.sign(digest).toHex());
    return out;
  }
}
