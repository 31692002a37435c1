package io.preconf.core.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CoalescingPumpTest {
  private final AtomicInteger runs = new AtomicInteger();
  private final CoalescingPump pump = new CoalescingPump(runs::incrementAndGet);

  @Test
  void anAskWhileIdleRunsTheStepAtOnce() {
    pump.request();

    assertThat(runs).hasValue(1);
    assertThat(pump.finished(false)).isFalse();
    assertThat(runs).hasValue(1);
  }

  @Test
  void asksWhileARunGoesOnAreAnsweredByOneMoreRun() {
    pump.request();
    pump.request();
    pump.request();
    assertThat(pump.take()).isFalse();
    assertThat(runs).hasValue(1);

    assertThat(pump.finished(false)).isTrue();
    assertThat(runs).hasValue(2);
    assertThat(pump.finished(false)).isFalse();
    assertThat(runs).hasValue(2);
  }

  @Test
  void moreKnownToBeWaitingRunsAgainWithoutAnyAsk() {
    pump.request();

    assertThat(pump.finished(true)).isTrue();
    assertThat(runs).hasValue(2);
    assertThat(pump.finished(false)).isFalse();
  }

  @Test
  void aTakenPumpIsHeldUntilItsRunEnds() {
    assertThat(pump.take()).isTrue();
    pump.request();
    assertThat(runs).as("the caller runs the taken pump itself").hasValue(0);

    assertThat(pump.finished(false)).isTrue();
    assertThat(runs).hasValue(1);
  }

  @Test
  void aFailedRunLetsGoAndForgetsTheAsksMadeMeanwhile() {
    pump.request();
    pump.request();

    pump.failed();
    assertThat(runs).hasValue(1);
    pump.request();
    assertThat(runs).hasValue(2);
  }

  /**
   * Many threads ask while runs end on other threads: no two runs overlap, and a run always starts
   * after the last ask, however the asks and the ends of runs interleave.
   */
  @Test
  void underContentionRunsNeverOverlapAndNoAskIsLost() throws Exception {
    ExecutorService completions = Executors.newFixedThreadPool(2);
    AtomicLong asked = new AtomicLong();
    AtomicLong answeredUpTo = new AtomicLong();
    AtomicInteger running = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    CoalescingPump[] holder = new CoalescingPump[1];
    holder[0] =
        new CoalescingPump(
            () -> {
              if (running.incrementAndGet() > 1) {
                overlaps.incrementAndGet();
              }
              answeredUpTo.set(asked.get());
              completions.execute(
                  () -> {
                    running.decrementAndGet();
                    holder[0].finished(false);
                  });
            });
    int threads = 4;
    int asksEach = 20_000;
    List<Thread> askers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread asker =
          new Thread(
              () -> {
                for (int i = 0; i < asksEach; i++) {
                  asked.incrementAndGet();
                  holder[0].request();
                }
              });
      askers.add(asker);
      asker.start();
    }
    for (Thread t : askers) {
      t.join();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (answeredUpTo.get() < (long) threads * asksEach && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    completions.shutdown();
    assertThat(completions.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

    assertThat(overlaps).hasValue(0);
    assertThat(answeredUpTo).hasValue((long) threads * asksEach);
  }
}
