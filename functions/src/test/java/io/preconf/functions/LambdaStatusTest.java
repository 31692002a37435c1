package io.preconf.functions;

import static io.preconf.functions.LambdaPreconfirmTest.invoke;
import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.infra.LocalServers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(LambdaExport.Status.class)
@QuarkusTestResource(LocalServers.class)
class LambdaStatusTest {

  @Test
  void statusThroughTheLambdaBindingAnswersNotFound() {
    var r = invoke(Map.of("chainId", 167000, "txHash", "0x" + "cd".repeat(32)));

    assertThat(r.getBoolean("found")).isFalse();
    assertThat(r.getString("error.reason")).isEqualTo("NOT_FOUND");
  }
}
