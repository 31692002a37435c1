package io.preconf.wire;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * An operation's cost in this thread's CPU time, which other processes sharing the cores do not
 * inflate: the median of ten rounds of 200 ms after fifteen rounds of warm-up.
 */
final class ThreadCpuTime {
  private ThreadCpuTime() {}

  /** Runs {@code operation} (its result kept, so it is not optimised away) and prints its cost. */
  static void print(String what, LongSupplier operation) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    double[] micros = new double[10];
    long sink = 0;
    // A long warm-up: on a busy machine the JIT compiler threads wait for a core too.
    for (int r = -15; r < micros.length; r++) {
      long start = threads.getCurrentThreadCpuTime();
      long count = 0;
      long used;
      do {
        sink += operation.getAsLong();
        count++;
        used = threads.getCurrentThreadCpuTime() - start;
      } while (used < 200_000_000L);
      if (r >= 0) {
        micros[r] = used / 1_000.0 / count;
      }
    }
    Arrays.sort(micros);
    System.out.printf(
        Locale.ROOT,
        "%s: %.1f us CPU (median of %d rounds; from %.1f to %.1f)%s%n",
        what,
        micros[micros.length / 2],
        micros.length,
        micros[0],
        micros[micros.length - 1],
        sink == Long.MIN_VALUE ? "." : "");
  }
}
