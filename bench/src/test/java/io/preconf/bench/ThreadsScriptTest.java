package io.preconf.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bench/lib/threads.sh: a process's CPU read thread by thread from /proc, and a scenario's entry of
 * it by kind of thread, as the e2e report prints it.
 */
class ThreadsScriptTest {
  static final Path SCRIPT = Path.of("lib/threads.sh");

  @TempDir Path dir;

  private static String bash(String call) throws IOException, InterruptedException {
    return Scripts.bash(SCRIPT, call, "");
  }

  @Test
  void anEntryCountsEachThreadFromItsOwnReadingAndGroupsThemByKind() throws Exception {
    double tick = 1000.0 / Integer.parseInt(bash("getconf CLK_TCK").trim());
    // Two event loops, a compiler thread that started between the readings, a worker that ended
    // between them (its ticks are lost, not taken from the others), and an idle thread.
    Path before = dir.resolve("before");
    Path after = dir.resolve("after");
    Files.writeString(
        before,
        "101 vert.x-eventloo 1000\n102 vert.x-eventloo 500\n104 executor-thread 70\n105 Idle 3\n");
    Files.writeString(
        after,
        "101 vert.x-eventloo 1060\n102 vert.x-eventloo 520\n103 C_CompilerThre 20\n105 Idle 3\n");

    String entry =
        bash("threads_cpu_entry scenario 10 " + before + " " + after + "; echo '|'").trim();

    assertThat(entry)
        .isEqualTo(
            String.format(
                Locale.ROOT,
                "scenario %.3f (vert.x-eventloo %.3f,C_CompilerThre %.3f); |",
                100 * tick / 10,
                80 * tick / 10,
                20 * tick / 10));
  }

  @Test
  void theReadingsOfALiveProcessShowWhereItsCpuWent() throws Exception {
    long pid = ProcessHandle.current().pid();
    Path before = dir.resolve("before");
    Path after = dir.resolve("after");
    Files.writeString(before, bash("threads_cpu " + pid));
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    AtomicLong spentNs = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    Thread spinner =
        new Thread(
            () -> {
              long start = threads.getCurrentThreadCpuTime();
              long x = 1;
              while (!stop.get()) {
                for (int i = 0; i < 100_000; i++) {
                  x = x * 31 + 7;
                }
                spentNs.set(threads.getCurrentThreadCpuTime() - start + (x == 0 ? 1 : 0));
              }
            },
            "spin worker 7");
    spinner.start();
    try {
      while (spentNs.get() < 400_000_000L) {
        Thread.sleep(10);
      }
      // Read while it still runs: a thread that has ended is no longer in /proc.
      Files.writeString(after, bash("threads_cpu " + pid));
    } finally {
      stop.set(true);
      spinner.join();
    }
    double spentMs = spentNs.get() / 1e6;

    String entry = bash("threads_cpu_entry spin 1 " + before + " " + after).trim();

    assertThat(entry).startsWith("spin ").contains("spin_worker_ ").endsWith(");");
    double spun = Double.parseDouble(entry.replaceAll(".*spin_worker_ ([0-9.]+).*", "$1"));
    double all = Double.parseDouble(entry.split(" ")[1]);
    // /proc counts whole ticks; the thread ran on while the reading was made.
    assertThat(spun).isGreaterThanOrEqualTo(350.0).isLessThanOrEqualTo(spentMs + 1000);
    assertThat(all).isGreaterThanOrEqualTo(spun);
  }
}
