package io.preconf.core.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.Rejection;
import io.preconf.core.types.ChainId;
import java.util.List;
import org.junit.jupiter.api.Test;

class RollupsTest {

  @Test
  void anUnservedChainIsWordedOnceNamingWhatIsServed() {
    Rejection r =
        Rollups.unsupportedChain(
            ErrorCode.VALIDATION_FAILED, 5, List.of(ChainId.of(167000), ChainId.of(167001)));

    assertThat(r.reason()).isEqualTo(Reason.UNSUPPORTED_CHAIN);
    assertThat(r.message())
        .isEqualTo("chain id 5 is not served by this engine; served chain ids: [167000, 167001]");
  }

  @Test
  void theServedRollupsNameThemselvesInConfigurationOrder() {
    Rollups served =
        Rollups.of(
            List.of(
                RollupConfig.builder(ChainId.of(167001), "beta", 0).build(),
                RollupConfig.builder(ChainId.of(167000), "alpha", 0).build()));

    Rejection r = served.unsupportedChain(ErrorCode.INVALID_TRANSACTION, 1);

    assertThat(r.code()).isEqualTo(ErrorCode.INVALID_TRANSACTION);
    assertThat(r.message())
        .isEqualTo("chain id 1 is not served by this engine; served chain ids: [167001, 167000]");
  }
}
