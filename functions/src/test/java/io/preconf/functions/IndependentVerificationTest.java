package io.preconf.functions;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.infra.IndependentVerifier;
import io.preconf.infra.LocalServers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.net.URL;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Preconfirmations returned over HTTP verify with standard Ethereum tooling and nothing of ours:
 * ethers' verifyTypedData, OpenZeppelin's StandardMerkleTree.verify and noble's ML-DSA-65, run by
 * reactive-core/vectors/verify-preconfirmation.mjs.
 */
@QuarkusTest
@QuarkusTestResource(LocalServers.class)
class IndependentVerificationTest {
  @TestHTTPResource("/")
  URL url;

  @Test
  void preconfirmationsVerifyWithEthersOpenZeppelinAndNoble() throws Exception {
    String bundle =
        given()
            .port(url.getPort())
            .contentType(ContentType.JSON)
            .body(
                Map.of(
                    "transactions",
                    List.of(
                        Txs.transfer(Txs.ALPHA), Txs.transfer(Txs.BETA), Txs.transfer(Txs.ALPHA)),
                    "atomic",
                    true))
            .post("/preconfirm")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .prettify();
    String single =
        given()
            .port(url.getPort())
            .contentType(ContentType.JSON)
            .body(Map.of("transactions", List.of(Txs.transfer(Txs.BETA))))
            .post("/preconfirm")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .prettify();
    String pqKey =
        given()
            .port(url.getPort())
            .contentType(ContentType.JSON)
            .body("{}")
            .post("/info")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getString("pqPublicKey");

    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    var all = json.createArrayNode();
    all.addAll(
        (com.fasterxml.jackson.databind.node.ArrayNode)
            json.readTree(bundle).get("preconfirmations"));
    all.addAll(
        (com.fasterxml.jackson.databind.node.ArrayNode)
            json.readTree(single).get("preconfirmations"));
    assertThat(all).as("%s\n%s", bundle, single).hasSize(4);

    assertThat(IndependentVerifier.verify(all.toString(), pqKey, true))
        .contains("4 verified, 0 failed");

    // The same script must refuse a tampered preconfirmation, or the check above proves nothing.
    var tampered = all.deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) tampered.get(0)).put("nonce", 1);
    assertThat(IndependentVerifier.verify(tampered.toString(), pqKey, false))
        .contains("3 verified, 1 failed");
  }
}
