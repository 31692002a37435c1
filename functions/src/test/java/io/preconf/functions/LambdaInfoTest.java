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
@TestProfile(LambdaExport.Info.class)
@QuarkusTestResource(LocalServers.class)
class LambdaInfoTest {

  @Test
  void infoThroughTheLambdaBindingListsTheRollups() {
    var r = invoke(Map.of());

    assertThat(r.getList("rollups.chainId")).containsExactly(167000, 167001);
    assertThat(r.getString("signer")).matches("0x[0-9a-f]{40}");
  }
}
