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
@TestProfile(LambdaExport.Reconcile.class)
@QuarkusTestResource(LocalServers.class)
class LambdaReconcileTest {

  @Test
  void reconcileThroughTheLambdaBindingAppliesABlockAndTheSameBlockAgainIsADuplicate() {
    Map<String, Object> block =
        FinalityChain.block(
            FinalityChain.freshHeight(),
            FinalityChain.randomHash(),
            FinalityChain.randomHash(),
            FinalityChain.blockSlot(),
            FinalityChain.randomHash());

    var r = invoke(block);
    assertThat(r.getString("outcome")).isEqualTo("APPLIED");
    assertThat(r.getLong("block.number")).isEqualTo((Long) block.get("number"));

    assertThat(invoke(block).getString("outcome")).isEqualTo("DUPLICATE");
  }

  @Test
  void reconcileThroughTheLambdaBindingRefusesAnUnservedChainWithACode() {
    Map<String, Object> block =
        new java.util.HashMap<>(
            FinalityChain.block(1, FinalityChain.randomHash(), FinalityChain.randomHash(), 1));
    block.put("chainId", 5);

    var r = invoke(block);
    assertThat(r.getString("outcome")).isEqualTo("REFUSED");
    assertThat(r.getString("error.code")).isEqualTo("VALIDATION_FAILED");
    assertThat(r.getString("error.reason")).isEqualTo("UNSUPPORTED_CHAIN");
    assertThat(r.getString("error.message")).contains("chain id 5");
  }
}
