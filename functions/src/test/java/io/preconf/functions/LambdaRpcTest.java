package io.preconf.functions;

import static io.preconf.functions.LambdaPreconfirmTest.invoke;
import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.infra.LocalServers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The JSON-RPC endpoint through the Lambda binding, invoked with the event API Gateway's request
 * template builds for {@code POST /rpc/{chainId}} (terraform/api.tf): the path's chain id and the
 * body in base64.
 */
@QuarkusTest
@TestProfile(LambdaExport.Rpc.class)
@QuarkusTestResource(LocalServers.class)
class LambdaRpcTest {

  private static Map<String, String> event(String chainId, String body) {
    return Map.of(
        "chainId",
        chainId,
        "body",
        Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void answersACallForThePathsChain() {
    var r = invoke(event("167001", "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"eth_chainId\"}"));

    assertThat(r.getInt("id")).isEqualTo(3);
    assertThat(r.getString("result")).isEqualTo("0x28c59");
  }

  @Test
  void aBodyThatIsNotJsonIsAParseError() {
    var r = invoke(event("167000", "{\"jsonrpc\":"));

    assertThat(r.getInt("error.code")).isEqualTo(-32700);
    assertThat(r.getString("error.message")).contains("not valid JSON");
  }
}
