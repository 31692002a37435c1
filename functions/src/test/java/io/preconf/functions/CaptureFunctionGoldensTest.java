package io.preconf.functions;

import static io.preconf.wire.WireSamples.*;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.preconf.core.commit.Status;
import io.preconf.core.commit.TrackedPreconfirmation;
import io.preconf.core.engine.PreconfirmResult;
import io.preconf.core.error.Rejection;
import io.preconf.core.finality.RecordedViolation;
import io.preconf.core.port.StatusQuery;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.preconf.functions.json.ErrorBody;
import io.preconf.functions.json.FinalityJson;
import io.preconf.functions.json.ValidateResponse;
import io.preconf.infra.LocalServers;
import io.quarkus.arc.ClientProxy;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.lang.reflect.Method;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Writes what the functions answer for the wire samples, serialized by the application's own
 * ObjectMapper as Funqy does, into wire-json's golden files.
 */
@QuarkusTest
@TestProfile(CaptureFunctionGoldensTest.Keys.class)
@QuarkusTestResource(LocalServers.class)
class CaptureFunctionGoldensTest {
  public static final class Keys implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "preconf.signer.private-key",
          "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318",
          "preconf.signer.pq-seed",
          "0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
          "quarkus.application.version",
          "0.9.0-golden");
    }
  }

  @Inject ObjectMapper json;
  @Inject Functions functions;

  @TestHTTPResource("/")
  URL url;

  private static final Path GOLDEN = Path.of("../wire-json/src/test/resources/golden");

  private void write(String name, List<String> lines) throws Exception {
    Files.createDirectories(GOLDEN);
    Files.write(GOLDEN.resolve(name), lines, StandardCharsets.UTF_8);
  }

  private String text(Object o) throws Exception {
    return json.writeValueAsString(o);
  }

  private static StatusQuery statuses(Optional<TrackedPreconfirmation> found, OptionalLong voided) {
    return new StatusQuery() {
      @Override
      public Uni<Optional<TrackedPreconfirmation>> find(ChainId chainId, Hash32 txHash) {
        return Uni.createFrom().item(found);
      }

      @Override
      public Uni<OptionalLong> voidedSequence(ChainId chainId, Hash32 txHash) {
        return Uni.createFrom().item(voided);
      }
    };
  }

  @Test
  void capture() throws Exception {
    Functions f = ClientProxy.unwrap(functions);
    f.clock = () -> NOW;

    Method response = Functions.class.getDeclaredMethod("response", PreconfirmResult.class);
    response.setAccessible(true);
    Method refused = Functions.class.getDeclaredMethod("refused", Rejection.class);
    refused.setAccessible(true);
    List<String> preconfirm = new ArrayList<>();
    preconfirm.add(text(response.invoke(null, preconfirmResult())));
    preconfirm.add(text(response.invoke(null, new PreconfirmResult(batch(true), List.of(), null))));
    preconfirm.add(
        text(
            response.invoke(
                null, new PreconfirmResult(List.of(), List.of(), rejections().get(0)))));
    preconfirm.add(text(refused.invoke(null, rejections().get(1))));
    write("preconfirm-response.jsonl", preconfirm);

    write(
        "validate-response.jsonl",
        List.of(
            text(new ValidateResponse(true, List.of())),
            text(new ValidateResponse(false, rejections().stream().map(ErrorBody::of).toList()))));

    JsonNode body = json.readTree("{\"chainId\":167001,\"txHash\":\"" + hash(20).toHex() + "\"}");
    List<String> status = new ArrayList<>();
    f.statuses = statuses(Optional.of(tracked(Status.INCLUDED, finality())), OptionalLong.empty());
    f.violations = (chain, tx) -> Uni.createFrom().item(recordedViolations());
    status.add(text(f.status(body).await().indefinitely()));
    f.violations = (chain, tx) -> Uni.createFrom().item(List.<RecordedViolation>of());
    f.statuses = statuses(Optional.of(tracked(Status.PRECONFIRMED, null)), OptionalLong.empty());
    status.add(text(f.status(body).await().indefinitely()));
    f.statuses = statuses(Optional.empty(), OptionalLong.of(17));
    status.add(text(f.status(body).await().indefinitely()));
    f.statuses = statuses(Optional.empty(), OptionalLong.empty());
    status.add(text(f.status(body).await().indefinitely()));
    write("status-response.jsonl", status);

    List<String> reconcile = new ArrayList<>();
    for (var r : reconcileResults()) {
      reconcile.add(text(FinalityJson.result(r)));
    }
    write("reconcile-response.jsonl", reconcile);

    write("info.jsonl", List.of(text(f.info().await().indefinitely())));

    List<String> errors = new ArrayList<>();
    for (Rejection r : rejections()) {
      errors.add(text(ErrorBody.of(r)));
    }
    String malformed =
        given()
            .port(url.getPort())
            .contentType(ContentType.JSON)
            .body("{\"transactions\": [\"0x02\",}")
            .post("/preconfirm")
            .then()
            .statusCode(400)
            .extract()
            .asString();
    errors.add(malformed);
    write("error.jsonl", errors);

    // Funqy writes a function's answer exactly as this ObjectMapper does.
    String over =
        given()
            .port(url.getPort())
            .contentType(ContentType.JSON)
            .body("{\"transactions\":[\"0x02\"]}")
            .post("/preconfirm")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertThat(over)
        .isEqualTo(
            text(
                f.preconfirm(json.readTree("{\"transactions\":[\"0x02\"]}"))
                    .await()
                    .indefinitely()));
  }
}
