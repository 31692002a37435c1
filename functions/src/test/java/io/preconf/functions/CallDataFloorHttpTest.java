package io.preconf.functions;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.tx.TransactionBuilder;
import io.preconf.core.types.Address;
import io.preconf.core.types.ChainId;
import io.preconf.infra.LocalServers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.net.URL;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A rollup's {@code prague} setting, as {@code PRECONF_ROLLUPS_JSON} gives it, decides whether
 * EIP-7623's call-data floor holds: 100 non-zero data bytes cost 22,600 gas before Prague and at
 * least 25,000 on it.
 */
@QuarkusTest
@QuarkusTestResource(LocalServers.class)
@TestProfile(CallDataFloorHttpTest.Profile.class)
class CallDataFloorHttpTest {
  static final ChainId BEFORE_PRAGUE = ChainId.of(167_996);
  static final ChainId UNSAID = ChainId.of(167_997);

  public static final class Profile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          // The first lane read of a fresh application parses its queries; on a busy machine
          // that alone can pass the default 3 s, which is not what this test is about.
          "preconf.infra.postgres.timeout",
          "30s",
          "preconf.rollups-json",
          "[{\"chainId\":"
              + BEFORE_PRAGUE.value()
              + ",\"name\":\"before-prague\",\"genesisTimeMs\":1735689600000,\"prague\":false},"
              + "{\"chainId\":"
              + UNSAID.value()
              + ",\"name\":\"unsaid\",\"genesisTimeMs\":1735689600000}]");
    }
  }

  @TestHTTPResource("/")
  URL url;

  @Test
  void aRollupConfiguredBeforePragueTakesTheStandardCost() {
    JsonPath r = preconfirm(callDataHeavy(BEFORE_PRAGUE));

    assertThat(r.getList("rejected")).isEmpty();
    assertThat(r.getList("preconfirmations")).hasSize(1);
  }

  @Test
  void aRollupThatSaysNothingIsOnPragueAndHoldsTheFloor() {
    JsonPath r = preconfirm(callDataHeavy(UNSAID));

    assertThat(r.getList("preconfirmations")).isEmpty();
    assertThat(r.getString("rejected[0].code")).isEqualTo("INVALID_TRANSACTION");
    assertThat(r.getString("rejected[0].reason")).isEqualTo("INTRINSIC_GAS_TOO_LOW");
    assertThat(r.getString("rejected[0].message"))
        .contains("gas limit 22600", "intrinsic gas 25000", "EIP-7623");
  }

  private static String callDataHeavy(ChainId chain) {
    byte[] data = new byte[100];
    Arrays.fill(data, (byte) 0x42);
    return TransactionBuilder.on(chain)
        .to(Address.fromHex("0x00000000000000000000000000000000000000aa"))
        .data(data)
        .gasLimit(22_600)
        .sign(Txs.randomSender())
        .toHex();
  }

  private JsonPath preconfirm(String tx) {
    return given()
        .port(url.getPort())
        .contentType(ContentType.JSON)
        .body(Map.of("transactions", List.of(tx), "atomic", false))
        .post("/preconfirm")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }
}
