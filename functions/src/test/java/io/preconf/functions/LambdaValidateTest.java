package io.preconf.functions;

import static io.preconf.functions.LambdaPreconfirmTest.invoke;
import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.infra.LocalServers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(LambdaExport.Validate.class)
@QuarkusTestResource(LocalServers.class)
class LambdaValidateTest {

  @Test
  void validateThroughTheLambdaBindingNamesTheMissingField() {
    var r = invoke(Map.of("id", "0x" + "00".repeat(32)));

    assertThat(r.getBoolean("valid")).isFalse();
    assertThat(r.getString("errors[0].reason")).isEqualTo("MISSING_FIELD");
  }

  @Test
  void theBatchFormThroughTheLambdaBindingAnswersEachInOrder() {
    var r = invoke(Map.of("preconfirmations", List.of(Map.of("id", "0x" + "00".repeat(32)), 7)));

    assertThat(r.getList("results")).hasSize(2);
    assertThat(r.getString("results[0].errors[0].reason")).isEqualTo("MISSING_FIELD");
    assertThat(r.getString("results[1].errors[0].reason")).isEqualTo("MALFORMED_REQUEST");
  }
}
