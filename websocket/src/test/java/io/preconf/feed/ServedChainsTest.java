package io.preconf.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.rollup.RollupConfig;
import io.preconf.core.rollup.Rollups;
import io.preconf.core.types.ChainId;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ServedChainsTest {
  private static final Rollups ROLLUPS =
      Rollups.of(
          List.of(
              RollupConfig.builder(ChainId.of(167000), "alpha", 0).build(),
              RollupConfig.builder(ChainId.of(167001), "beta", 0).build()));

  /** Settings that answer {@code chains()} alone: nothing else is read to pick the chains. */
  private static FeedConfig chains(List<Long> chains) {
    return (FeedConfig)
        Proxy.newProxyInstance(
            FeedConfig.class.getClassLoader(),
            new Class<?>[] {FeedConfig.class},
            (proxy, method, args) -> {
              if (method.getName().equals("chains")) {
                return Optional.ofNullable(chains);
              }
              throw new AssertionError("read " + method.getName());
            });
  }

  @Test
  void withoutChainsOfItsOwnTheFeedServesTheConfiguredRollups() {
    assertThat(ServedChains.from(chains(null), () -> ROLLUPS))
        .containsExactly(ChainId.of(167000), ChainId.of(167001));
    assertThat(ServedChains.from(chains(List.of()), () -> ROLLUPS)).hasSize(2);
  }

  @Test
  void itsOwnChainsAreServedOnceEachAndTheRollupsAreNotRead() {
    Supplier<Rollups> unread =
        () -> {
          throw new AssertionError("the rollups were read");
        };

    assertThat(ServedChains.from(chains(List.of(5L, 7L, 5L)), unread))
        .containsExactly(ChainId.of(5), ChainId.of(7));
  }
}
