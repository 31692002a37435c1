package io.preconf.core.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.port.RateLimit;
import io.preconf.core.port.RateLimiter;
import io.preconf.core.port.RateLimiter.Use;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class CoalescingRateLimiterTest {
  private static final RateLimit LIMIT =
      new RateLimit("test-max", 2, Duration.ofSeconds(1), "uses");

  /** Counts held until the test answers each call: every use of a subject "busy" is over. */
  private static final class HeldCounts implements RateLimiter {
    final List<List<Use>> calls = new ArrayList<>();
    final List<CompletableFuture<Void>> holds = new ArrayList<>();

    @Override
    public synchronized Uni<List<Duration>> take(List<Use> uses) {
      calls.add(uses);
      CompletableFuture<Void> hold = new CompletableFuture<>();
      holds.add(hold);
      List<Duration> waits =
          uses.stream()
              .map(u -> u.subject().startsWith("busy") ? Duration.ofMillis(700) : Duration.ZERO)
              .toList();
      return Uni.createFrom().completionStage(hold).onItem().transform(v -> waits);
    }

    void answer(int call) {
      holds.get(call).complete(null);
    }

    void fail(int call) {
      holds.get(call).completeExceptionally(new IllegalStateException("counts unreachable"));
    }
  }

  private final HeldCounts counts = new HeldCounts();
  private final CoalescingRateLimiter limiter = new CoalescingRateLimiter(counts, 3);

  private UniAssertSubscriber<List<Duration>> take(String... subjects) {
    List<Use> uses = new ArrayList<>();
    for (String s : subjects) {
      uses.add(new Use(LIMIT, s, 1));
    }
    return limiter.take(uses).subscribe().withSubscriber(UniAssertSubscriber.create());
  }

  @Test
  void anIdleLimiterCallsAtOnce() {
    UniAssertSubscriber<List<Duration>> one = take("a");

    assertThat(counts.calls).hasSize(1);
    counts.answer(0);
    one.assertItem(List.of(Duration.ZERO));
  }

  @Test
  void usesArrivingDuringACallGoTogetherInTheNextAndEachGetsItsOwnWaits() {
    UniAssertSubscriber<List<Duration>> first = take("a");
    UniAssertSubscriber<List<Duration>> second = take("b", "busy-1");
    UniAssertSubscriber<List<Duration>> third = take("busy-2");

    assertThat(counts.calls).hasSize(1);
    counts.answer(0);

    assertThat(counts.calls).hasSize(2);
    assertThat(counts.calls.get(1))
        .extracting(Use::subject)
        .containsExactly("b", "busy-1", "busy-2");
    first.assertItem(List.of(Duration.ZERO));
    second.assertNotTerminated();
    counts.answer(1);
    second.assertItem(List.of(Duration.ZERO, Duration.ofMillis(700)));
    third.assertItem(List.of(Duration.ofMillis(700)));
  }

  @Test
  void aCallCarriesAtMostTheBoundAndNeverSplitsACaller() {
    take("a");
    take("b", "c");
    take("d", "e");
    take("f");

    counts.answer(0);
    counts.answer(1);

    assertThat(counts.calls)
        .extracting(c -> c.stream().map(Use::subject).toList())
        .containsExactly(List.of("a"), List.of("b", "c"), List.of("d", "e", "f"));
  }

  @Test
  void aFailedCallFailsItsCallersOnlyAndTheNextCallGoesOut() {
    UniAssertSubscriber<List<Duration>> first = take("a");
    UniAssertSubscriber<List<Duration>> second = take("b");

    counts.fail(0);

    first.assertFailedWith(IllegalStateException.class, "counts unreachable");
    assertThat(counts.calls).hasSize(2);
    counts.answer(1);
    second.assertItem(List.of(Duration.ZERO));
  }

  @Test
  void anIdleLimiterAfterAllCallsStartsAgainAtOnce() {
    take("a");
    counts.answer(0);

    UniAssertSubscriber<List<Duration>> later = take("b");

    assertThat(counts.calls).hasSize(2);
    counts.answer(1);
    later.assertItem(List.of(Duration.ZERO));
  }
}
