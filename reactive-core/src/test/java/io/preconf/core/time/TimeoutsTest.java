package io.preconf.core.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class TimeoutsTest {
  private static final Path TASKS = Path.of("/proc/self/task");

  @Test
  void deadlinesArmedAndCancelledOneAtATimeDoNotWakeTheTimerThread() throws Exception {
    assumeTrue(Files.isDirectory(TASKS), "needs Linux's /proc to count context switches");
    Path timer = timerThread();
    long before = switches(timer);

    // Requests one at a time: each arms a 30 s deadline and cancels it as it completes, leaving
    // no other timer of its own queued in between.
    for (int i = 0; i < 50; i++) {
      ScheduledFuture<?> deadline = Timeouts.scheduler().schedule(() -> {}, 30, TimeUnit.SECONDS);
      Thread.sleep(2);
      deadline.cancel(false);
      Thread.sleep(1);
    }

    // The tick may wake it once or twice in this time; a wake-up per deadline would be 50.
    assertThat(switches(timer) - before).isLessThan(10);
    assertThat(Timeouts.pending()).isZero();
  }

  @Test
  void aDeadlineWithinTheTickStillFiresOnTime() throws Exception {
    CountDownLatch fired = new CountDownLatch(1);
    long start = System.nanoTime();
    Timeouts.scheduler().schedule(fired::countDown, 50, TimeUnit.MILLISECONDS);

    assertThat(fired.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(50)
        .isLessThan(1000);
  }

  @Test
  void aDeadlineBeyondTheTickFiresOnTime() throws Exception {
    CountDownLatch fired = new CountDownLatch(1);
    long delayMs = 1300;
    long start = System.nanoTime();
    Timeouts.scheduler().schedule(fired::countDown, delayMs, TimeUnit.MILLISECONDS);

    assertThat(fired.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(delayMs)
        .isLessThan(delayMs + 500);
  }

  /** The timer thread's /proc entry (its name, cut to the 15 characters Linux keeps). */
  private static Path timerThread() throws Exception {
    // The thread starts with the first timer.
    Timeouts.scheduler().schedule(() -> {}, 0, TimeUnit.MILLISECONDS).get();
    List<Path> found;
    try (Stream<Path> tasks = Files.list(TASKS)) {
      found = tasks.filter(t -> "preconf-timeout".equals(comm(t))).toList();
    }
    assertThat(found).hasSize(1);
    return found.get(0);
  }

  private static String comm(Path task) {
    try {
      return Files.readString(task.resolve("comm")).strip();
    } catch (IOException gone) {
      return "";
    }
  }

  private static long switches(Path task) throws IOException {
    long n = 0;
    for (String line : Files.readAllLines(task.resolve("status"))) {
      if (line.startsWith("voluntary_ctxt_switches:")
          || line.startsWith("nonvoluntary_ctxt_switches:")) {
        n += Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
      }
    }
    return n;
  }
}
