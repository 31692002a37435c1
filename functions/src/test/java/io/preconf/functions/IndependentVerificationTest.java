package io.preconf.functions;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.infra.LocalServers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Preconfirmations returned over HTTP verify with standard Ethereum tooling and nothing of ours:
 * ethers' verifyTypedData, OpenZeppelin's StandardMerkleTree.verify and noble's ML-DSA-65, run by
 * reactive-core/vectors/verify-preconfirmation.mjs.
 */
@QuarkusTest
@QuarkusTestResource(LocalServers.class)
class IndependentVerificationTest {
  private static final Path VECTORS =
      Path.of("..", "reactive-core", "vectors").toAbsolutePath().normalize();

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

    Path file = Files.createTempFile("preconfirmations-", ".json");
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    var all = json.createArrayNode();
    all.addAll(
        (com.fasterxml.jackson.databind.node.ArrayNode)
            json.readTree(bundle).get("preconfirmations"));
    all.addAll(
        (com.fasterxml.jackson.databind.node.ArrayNode)
            json.readTree(single).get("preconfirmations"));
    assertThat(all).hasSize(4);
    Files.writeString(file, all.toString());

    ensureNodeModules();
    String out = run(List.of("node", "verify-preconfirmation.mjs", file.toString(), pqKey));
    assertThat(out).contains("4 verified, 0 failed");

    // The same script must refuse a tampered preconfirmation, or the check above proves nothing.
    var tampered = all.deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) tampered.get(0)).put("nonce", 1);
    Files.writeString(file, tampered.toString());
    assertThat(
            runExpectingFailure(
                List.of("node", "verify-preconfirmation.mjs", file.toString(), pqKey)))
        .contains("3 verified, 1 failed");
    Files.deleteIfExists(file);
  }

  private static void ensureNodeModules() throws Exception {
    if (!Files.isDirectory(VECTORS.resolve("node_modules/ethers"))) {
      run(List.of("npm", "ci", "--no-audit", "--no-fund"));
    }
  }

  private static String run(List<String> command) throws Exception {
    Result r = exec(command);
    assertThat(r.exit).as("%s exited %d: %s", command, r.exit, r.output).isZero();
    return r.output;
  }

  private static String runExpectingFailure(List<String> command) throws Exception {
    Result r = exec(command);
    assertThat(r.exit).as("%s should fail: %s", command, r.output).isNotZero();
    return r.output;
  }

  private record Result(int exit, String output) {}

  private static Result exec(List<String> command) throws IOException, InterruptedException {
    Path log = Files.createTempFile("node-", ".log");
    Process p =
        new ProcessBuilder(command)
            .directory(VECTORS.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(command + " did not finish in 300 s");
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    Files.deleteIfExists(log);
    return new Result(p.exitValue(), output);
  }
}
