package io.preconf.functions;

import static io.preconf.functions.LambdaPreconfirmTest.invoke;
import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.infra.LocalServers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
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

  /**
   * Bolt's signature header reaches the method through the template's {@code headers}, empty when
   * the request had none.
   */
  @Test
  void boltsSignatureHeaderReachesTheMethod() {
    String body =
        "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"bolt_requestInclusion\","
            + "\"params\":[{\"slot\":5,\"txs\":[\"0x02\"]}]}";
    Map<String, Object> absent = new HashMap<>(event("167001", body));
    absent.put("headers", Map.of("x-bolt-signature", ""));
    Map<String, Object> malformed = new HashMap<>(event("167001", body));
    malformed.put("headers", Map.of("x-bolt-signature", "0x12"));

    assertThat(invoke(absent).getInt("error.code")).isEqualTo(-32002);
    var r = invoke(malformed);
    assertThat(r.getInt("error.code")).isEqualTo(-32007);
    assertThat(r.getString("error.message")).contains("\"0x12\"");
  }

  @Test
  void aBodyThatIsNotJsonIsAParseError() {
    var r = invoke(event("167000", "{\"jsonrpc\":"));

    assertThat(r.getInt("error.code")).isEqualTo(-32700);
    assertThat(r.getString("error.message")).contains("not valid JSON");
  }
}
