package io.preconf.core.pull;

import static io.preconf.core.testing.Samples.randomHash;
import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.commit.Status;
import io.preconf.core.error.Reason;
import io.preconf.core.error.Result;
import io.preconf.core.rollup.RollupConfig;
import io.preconf.core.rollup.Rollups;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class LanePullTest {
  private static final ChainId CHAIN = ChainId.of(167000);
  private static final Bytes TX = Bytes.fromHex("tx", "0x02c0ffee");

  private final List<PulledEntry> lane =
      List.of(
          new PulledEntry(1, randomHash(), randomHash(), TX, Status.INCLUDED),
          new PulledEntry(2, randomHash(), null, null, null),
          new PulledEntry(3, randomHash(), randomHash(), TX, Status.PRECONFIRMED),
          new PulledEntry(4, randomHash(), randomHash(), TX, Status.DELIVERY_FAILED));

  private final LanePull pull =
      new LanePull(
          Rollups.of(List.of(RollupConfig.builder(CHAIN, "alpha", 0).build())),
          (chain, from, slot, max) ->
              Uni.createFrom()
                  .item(lane.stream().filter(e -> e.sequence() >= from).limit(max).toList()));

  private Result<LanePage> pull(long chain, long from, int limit, boolean authorised) {
    return pull.pull(new LaneRequest(chain, from, OptionalLong.empty(), limit, authorised))
        .await()
        .indefinitely();
  }

  @Test
  void anAuthorisedCallerGetsEveryPromisesBytesAndTheCursorAfterThePage() {
    LanePage page = pull(167000, 1, 3, true).value();

    assertThat(page.entries()).extracting(PulledEntry::sequence).containsExactly(1L, 2L, 3L);
    assertThat(page.entries().get(2).signedTransaction()).isEqualTo(TX);
    assertThat(page.next()).isEqualTo(4);
  }

  @Test
  void othersGetTheBytesOfIncludedTransactionsOnly() {
    LanePage page = pull(167000, 1, 10, false).value();

    assertThat(page.entries())
        .extracting(PulledEntry::signedTransaction)
        .containsExactly(TX, null, null, null);
    assertThat(page.entries().get(1).isVoid()).isTrue();
  }

  @Test
  void anEmptyPageKeepsTheCursorWhereItWas() {
    assertThat(pull(167000, 9, 10, true).value().next()).isEqualTo(9);
  }

  @Test
  void badRequestsAreRefusedNamingTheValue() {
    assertThat(pull(167000, 0, 10, true).rejection().message()).contains("from 0");
    assertThat(pull(167000, 1, 0, true).rejection().reason()).isEqualTo(Reason.OUT_OF_RANGE);
    assertThat(pull(167000, 1, 1001, true).rejection().message()).contains("limit 1001");
    assertThat(pull(5, 1, 10, true).rejection().reason()).isEqualTo(Reason.UNSUPPORTED_CHAIN);
  }
}
