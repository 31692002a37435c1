package io.preconf.core.bench;

import io.preconf.core.crypto.MlDsaExpansionBenchmark;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@link CoreBenchmark}'s crypto and validation rows timed in this thread's CPU time rather than
 * wall-clock time. On a machine whose cores other processes share, JMH's averages include the time
 * the benchmark thread waited for a core; its CPU time does not, and it is what "per core-second"
 * means. The operations run interleaved in rounds, so a change in load falls on all of them alike;
 * each figure is the median round.
 *
 * <p>Arguments: the Markdown file to append the table to, or {@code -} for none, then optionally a
 * regular expression the operations' names must match. {@code bench/core-jmh.sh} runs it after JMH;
 * on a JDK with ML-DSA (24 and later) it adds the JDK's own sign and verify.
 */
public final class CpuTime {
  private static final int WARMUP_ROUNDS = 3;
  private static final int ROUNDS = 10;
  private static final long ROUND_CPU_NANOS = 200_000_000L;

  private CpuTime() {}

  public static void main(String[] args) throws Exception {
    Map<String, Callable<?>> ops = operations();
    if (args.length > 1) {
      ops.keySet().removeIf(name -> !name.matches(args[1]));
    }
    Map<String, double[]> rounds = new LinkedHashMap<>();
    ops.keySet().forEach(name -> rounds.put(name, new double[ROUNDS]));
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<String, Integer> batch = new LinkedHashMap<>();
    for (int round = -WARMUP_ROUNDS; round < ROUNDS; round++) {
      for (var op : ops.entrySet()) {
        // The clock is read once per batch of about 100 µs, so reading it costs nothing measurable.
        int n = batch.getOrDefault(op.getKey(), 1);
        long start = threads.getCurrentThreadCpuTime();
        long count = 0;
        long used;
        do {
          for (int i = 0; i < n; i++) {
            op.getValue().call();
          }
          count += n;
          used = threads.getCurrentThreadCpuTime() - start;
        } while (used < ROUND_CPU_NANOS);
        batch.put(op.getKey(), (int) Math.max(1, 100_000L * count / used));
        if (round >= 0) {
          rounds.get(op.getKey())[round] = used / 1_000.0 / count;
        }
      }
    }
    StringBuilder md = new StringBuilder();
    md.append("\n## CPU time per operation (")
        .append(System.getProperty("java.vm.name"))
        .append(" ")
        .append(System.getProperty("java.version"))
        .append(")\n\n")
        .append("The same operations timed in the benchmark thread's CPU time, interleaved in ")
        .append(ROUNDS)
        .append(" rounds of 0.2 CPU-seconds each after ")
        .append(WARMUP_ROUNDS)
        .append(" warm-up rounds (see CpuTime): on a shared machine, JMH's wall-clock figures")
        .append(" include the time spent waiting for a core, this thread's CPU time does not.")
        .append(" Median and range of the rounds; the fastest round is the least disturbed by")
        .append(" other processes sharing the core's caches.\n\n")
        .append("| operation | CPU µs/op | range | per core-second |\n|---|---:|---:|---:|\n");
    for (var r : rounds.entrySet()) {
      double[] v = r.getValue().clone();
      Arrays.sort(v);
      double median = (v[ROUNDS / 2 - 1] + v[ROUNDS / 2]) / 2;
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %.1f | %.1f-%.1f | %,.0f |%n",
              r.getKey(),
              median,
              v[0],
              v[ROUNDS - 1],
              1e6 / median));
    }
    System.out.print(md);
    if (args.length > 0 && !args[0].equals("-")) {
      Files.writeString(Path.of(args[0]), md, StandardOpenOption.APPEND);
    }
  }

  private static Map<String, Callable<?>> operations() throws Exception {
    CoreBenchmark b = new CoreBenchmark();
    CoreBenchmark.Native nativeSecp = new CoreBenchmark.Native();
    nativeSecp.setUp();
    CoreBenchmark.Transactions txs = new CoreBenchmark.Transactions();
    txs.sign();
    CoreBenchmark.Issued issued = new CoreBenchmark.Issued();
    issued.issue(txs);
    CoreBenchmark.Rounds rounds = new CoreBenchmark.Rounds();
    rounds.issue(txs);
    CoreBenchmark.WithMlDsaNative engine = new CoreBenchmark.WithMlDsaNative();
    engine.freshEngine();

    Map<String, Callable<?>> ops = new LinkedHashMap<>();
    crypto(b, nativeSecp, ops);
    ops.put("validateCold", () -> b.validateCold(issued));
    ops.put("validateColdNative", () -> b.validateColdNative(issued));
    ops.put("validateCachedRoot", () -> b.validateCachedRoot(issued));
    ops.put("validateCachedLeafOfRound", () -> b.validateCachedLeafOfRound(rounds));
    ops.put(
        "preconfirmSingleWithMlDsaNative", () -> b.preconfirmSingleWithMlDsaNative(engine, txs));
    return ops;
  }

  private static void crypto(
      CoreBenchmark b, CoreBenchmark.Native nativeSecp, Map<String, Callable<?>> ops) {
    CoreBenchmark.Crypto crypto = new CoreBenchmark.Crypto();
    MlDsaExpansionBenchmark expansion = new MlDsaExpansionBenchmark();
    try {
      crypto.prepare();
      expansion.generate();
    } catch (LinkageError e) {
      // Production classes from before keys were kept expanded, measured for a before figure.
      System.err.println("no crypto rows on these classes: " + e);
      return;
    }
    ops.put("cryptoMlDsaSignBouncyCastle", () -> b.cryptoMlDsaSignBouncyCastle(crypto));
    ops.put("cryptoMlDsaSign", () -> b.cryptoMlDsaSign(crypto));
    ops.put("expandSigningKey", expansion::expandSigningKey);
    ops.put("cryptoMlDsaVerifyBouncyCastle", () -> b.cryptoMlDsaVerifyBouncyCastle(crypto));
    ops.put("cryptoMlDsaVerifyExpandingKey", () -> b.cryptoMlDsaVerifyExpandingKey(crypto));
    ops.put("cryptoMlDsaVerify", () -> b.cryptoMlDsaVerify(crypto));
    ops.put("expandVerifyingKey", expansion::expandVerifyingKey);
    jdkMlDsa(ops);
    ops.put("cryptoEcdsaRecover", () -> b.cryptoEcdsaRecover(crypto));
    ops.put("cryptoEcdsaRecoverNative", () -> b.cryptoEcdsaRecoverNative(crypto, nativeSecp));
    ops.put("cryptoKeccak256Of256Bytes", () -> b.cryptoKeccak256Of256Bytes(crypto));
  }

  /** The JDK's ML-DSA, where the running JDK has one. */
  private static void jdkMlDsa(Map<String, Callable<?>> ops) {
    JdkMlDsa jdk = new JdkMlDsa();
    try {
      jdk.prepare();
    } catch (java.security.GeneralSecurityException e) {
      return;
    }
    ops.put("jdkMlDsaSign", jdk::sign);
    ops.put("jdkMlDsaVerify", jdk::verify);
  }
}
