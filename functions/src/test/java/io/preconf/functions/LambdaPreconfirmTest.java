package io.preconf.functions;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.infra.LocalServers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * preconfirm and validate as AWS Lambda runs them: RestAssured's default port in test mode is the
 * Lambda mock event server, which invokes the exported function with the raw JSON event.
 */
@QuarkusTest
@TestProfile(LambdaExport.Preconfirm.class)
@QuarkusTestResource(LocalServers.class)
class LambdaPreconfirmTest {

  static JsonPath invoke(Object event) {
    return given()
        .contentType("application/json")
        .body(event)
        .post()
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  @Test
  void preconfirmThroughTheLambdaBindingGivesTheSameJson() {
    JsonPath r =
        invoke(Map.of("transactions", List.of(Txs.transfer(Txs.ALPHA), "0x01"), "atomic", false));

    assertThat(r.getList("preconfirmations")).hasSize(1);
    assertThat(r.getString("preconfirmations[0].commitment.signature")).matches("0x[0-9a-f]{130}");
    assertThat(r.getInt("rejected[0].index")).isEqualTo(1);
    assertThat(r.getString("rejected[0].code")).isEqualTo("INVALID_TRANSACTION");
  }
}
