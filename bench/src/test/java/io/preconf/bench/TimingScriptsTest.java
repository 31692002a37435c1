package io.preconf.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bench/lib/timing.sh (E2E_TIMES): fsyncs read from perf's text and put on the wall clock by the
 * mark, and the slow windows of a scenario with the stores' slowest fsync beside each.
 */
class TimingScriptsTest {
  static final Path SCRIPT = Path.of("lib/timing.sh");

  @TempDir Path dir;

  private static String bash(String call, String input) throws IOException, InterruptedException {
    return Scripts.bash(SCRIPT, call, input);
  }

  @Test
  void fsyncsArePairedByThreadAndPutOnTheWallClockByTheMark() throws Exception {
    // As `perf script -F comm,tid,time,event` prints them: the mark's dd first, a thread name with
    // a space, two threads' calls overlapping, and a call still open when the recording ended.
    String perf =
        String.join(
            "\n",
            "              dd  4001 100.000000: syscalls:sys_enter_fdatasync: fd: 0x00000001",
            "              dd  4001 100.001000:  syscalls:sys_exit_fdatasync: 0x0",
            "    redis-server  9911 100.250000: syscalls:sys_enter_fdatasync: fd: 0x00000009",
            "        postgres 10067 100.251000: syscalls:sys_enter_fdatasync: fd: 0x00000003",
            "        postgres 10067 100.253500:  syscalls:sys_exit_fdatasync: 0x0",
            "    redis-server  9911 100.308000:  syscalls:sys_exit_fdatasync: 0x0",
            " C2 CompilerThre  7000 100.400000:    syscalls:sys_enter_fsync: fd: 0x00000004",
            " C2 CompilerThre  7000 100.402000:     syscalls:sys_exit_fsync: 0x0",
            "    redis-server  9911 100.500000: syscalls:sys_enter_fdatasync: fd: 0x00000009",
            "");
    long markNs = 1_796_576_677_000_000_000L;

    List<String> lines = bash("fsync_durations " + markNs, perf).lines().toList();

    // In the order the calls ended.
    assertThat(lines)
        .containsExactly(
            "1796576677251.000\tpostgres\t2.500",
            "1796576677250.000\tredis-server\t58.000",
            "1796576677400.000\tC2 CompilerThre\t2.000");
  }

  @Test
  void withoutTheMarkNothingIsPlacedOnTheWallClock() throws Exception {
    String perf =
        "    redis-server  9911 100.250000: syscalls:sys_enter_fdatasync: fd: 0x00000009\n"
            + "    redis-server  9911 100.308000:  syscalls:sys_exit_fdatasync: 0x0\n";

    assertThat(bash("fsync_durations 1796576677000000000", perf)).isEmpty();
  }

  @Test
  void theSlowestOnePercentAreFoundInTheirWindowsBesideTheFsyncsBegunThere() throws Exception {
    // 2,000 requests due every 0.5 ms from t0; those due in the window 0.5 s to 0.6 s wait 40 ms
    // more (a stall), every other one takes 2 to 4 ms. A Redis fsync of 38 ms began in the window
    // before the stall's; PostgreSQL's took 1 ms throughout.
    double t0 = 1_796_576_677_000.0;
    StringBuilder times = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      double due = t0 + i * 0.5;
      double latency = 2 + (i % 5) * 0.5 + (due - t0 >= 500 && due - t0 < 600 ? 40 : 0);
      times.append(String.format(Locale.ROOT, "%d\t%.3f\t%.3f\t1%n", i, due, due + latency));
    }
    Path timesFile = dir.resolve("times.tsv");
    Files.writeString(timesFile, times);
    Path fsyncFile = dir.resolve("fsync.tsv");
    Files.writeString(
        fsyncFile,
        String.format(
            Locale.ROOT,
            "%.3f\tredis-server\t38.000%n%.3f\tpostgres\t1.000%n%.3f\tpostgres\t1.000%n",
            t0 + 450,
            t0 + 520,
            t0 + 900));

    String withFsyncs = bash("times_summary " + timesFile + " " + fsyncFile, "");
    String alone = bash("times_summary " + timesFile, "");

    // The p99 cut is the 1,980th fastest, 44 ms: only the slowest fifth of the stalled requests
    // reach it, all in the stall's window; the Redis fsync is shown there, begun the window before.
    assertThat(withFsyncs)
        .contains("2000 answered; p99 44.00 ms; the 40 at or above it fall in 1 of 10 windows")
        .contains("3 fsyncs by Redis and PostgreSQL over the scenario, 1 of them 10 ms or longer")
        .contains("| 0.5 | 200 | 40 | 44.00 | 38.0 | 1.0 |");
    assertThat(withFsyncs.lines().filter(l -> l.startsWith("| 0.") || l.startsWith("| 1.")))
        .hasSize(1);
    assertThat(alone)
        .contains("| 0.5 | 200 | 40 | 44.00 |")
        .doesNotContain("fsyncs by")
        .doesNotContain("Redis fsync");
  }
}
