package io.preconf.core.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a JMH JSON result of {@link CoreBenchmark} into the Markdown table committed in {@code
 * benchmarks/core-jmh.md}, with each engine path set against the crypto it calls.
 *
 * <p>Arguments: the JMH JSON file, the Markdown file to write, and the command that produced it.
 */
public final class BenchReport {
  public static void main(String[] args) throws Exception {
    JsonNode runs = new ObjectMapper().readTree(Path.of(args[0]).toFile());
    Map<String, double[]> us = new LinkedHashMap<>();
    String jvm = "";
    for (JsonNode run : runs) {
      String name = run.get("benchmark").asText().replaceAll(".*\\.", "");
      JsonNode m = run.get("primaryMetric");
      us.put(name, new double[] {m.get("score").asDouble(), m.get("scoreError").asDouble()});
      jvm = run.get("vmName").asText() + " " + run.get("jdkVersion").asText();
    }
    double recover = score(us, "cryptoDecodeAndRecoverSender");
    double sign = score(us, "cryptoEcdsaSign");
    double pqSign = score(us, "cryptoMlDsaSign");
    double keccak = score(us, "cryptoKeccak256Of256Bytes");
    double ecRecover = score(us, "cryptoEcdsaRecover");
    double pqVerify = score(us, "cryptoMlDsaVerify");
    // Crypto a single-transaction preconfirm calls: sender recovery (with the tx hash), the leaf
    // hash (2 keccaks), the EIP-712 digest (2 keccaks), one ECDSA and, with it on, one ML-DSA sign.
    double singleFloor = recover + 4 * keccak + sign;
    double singlePqFloor = singleFloor + pqSign;
    double singlePqNativeFloor =
        score(us, "cryptoDecodeAndRecoverSenderNative")
            + 4 * keccak
            + score(us, "cryptoEcdsaSignNative")
            + pqSign;
    // A 100-transaction batch: 100 recoveries, 200 leaf keccaks, ~100 tree keccaks, 2 for the
    // digest, one ECDSA and one ML-DSA signature.
    double batchFloor = 100 * recover + 302 * keccak + sign + pqSign;
    // A cold validation: the leaf hash (2 keccaks), the EIP-712 digest (2), an ECDSA recovery and
    // an ML-DSA verification with the trusted key's expanded form kept.
    double coldFloor = ecRecover + pqVerify + 4 * keccak;
    double coldNativeFloor = score(us, "cryptoEcdsaRecoverNative") + pqVerify + 4 * keccak;

    StringBuilder md = new StringBuilder();
    md.append("# Core benchmark (JMH)\n\n");
    md.append("Written by `bench/core-jmh.sh` on ").append(Instant.now()).append(".\n\n");
    md.append("- Command: `").append(args.length > 2 ? args[2] : "").append("`\n");
    md.append("- JVM: ").append(jvm).append("\n");
    md.append("- Machine: ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" cores, ")
        .append(System.getProperty("os.name"))
        .append(" ")
        .append(System.getProperty("os.arch"))
        .append("\n");
    if (args.length > 3) {
      md.append("- Load: ").append(args[3]).append("\n");
    }
    md.append(
        "- Ports: in-memory (test code), CPU work on the calling thread: engine overhead only, no I/O.\n\n");
    md.append("| benchmark | µs/op | ± error |\n|---|---:|---:|\n");
    for (var e : us.entrySet()) {
      md.append(
          String.format(
              Locale.ROOT, "| %s | %.1f | %.1f |%n", e.getKey(), e.getValue()[0], e.getValue()[1]));
    }
    md.append("\n## Engine path against the crypto it calls\n\n");
    md.append(
        "| path | engine µs | crypto floor µs | ratio | target | verdict |\n"
            + "|---|---:|---:|---:|---|---|\n");
    row(
        md,
        "preconfirm, 1 tx, ECDSA only",
        score(us, "preconfirmSingleEcdsaOnly"),
        singleFloor,
        "≤ 1.3x",
        0);
    row(
        md,
        "preconfirm, 1 tx, ECDSA + ML-DSA",
        score(us, "preconfirmSingleWithMlDsa"),
        singlePqFloor,
        "≤ 1.3x, < 1,000 µs",
        1_000);
    row(
        md,
        "preconfirm, 1 tx, ECDSA + ML-DSA, libsecp256k1 (as deployed)",
        score(us, "preconfirmSingleWithMlDsaNative"),
        singlePqNativeFloor,
        "≤ 1.3x, < 1,000 µs",
        1_000);
    row(
        md,
        "preconfirm, 100 tx, ECDSA + ML-DSA (one thread)",
        score(us, "preconfirmBatch100WithMlDsa"),
        batchFloor,
        "≤ 1.3x",
        0);
    row(
        md,
        "validate, cold (ECDSA recover + ML-DSA verify)",
        score(us, "validateCold"),
        coldFloor,
        "≤ 1.3x",
        0);
    row(
        md,
        "validate, cold, libsecp256k1 (as deployed)",
        score(us, "validateColdNative"),
        coldNativeFloor,
        "≤ 1.3x, ≤ 200 µs (5,000 per core-second)",
        200);
    row(
        md,
        "validate, leaf of a verified commitment",
        score(us, "validateCachedRoot"),
        0,
        "no signature work, ≤ 10 µs (100,000 per core-second)",
        10);
    mlDsa(md, us);
    md.append(
        "\nThe crypto floor is the sum of the crypto rows above that the path calls once per"
            + " operation (see BenchReport). The ML-DSA rows walk 256 digests: signing repeats its"
            + " rejection loop a message-dependent number of times, so one fixed digest would time"
            + " a lucky or an unlucky case. Error columns are JMH's 99.9% intervals over 5"
            + " iterations of one fork.\n");
    Files.writeString(Path.of(args[1]), md.toString());
  }

  /**
   * Bouncy Castle's ML-DSA, which expands the key on every call, beside the engine's, which keeps
   * each key's expanded form, and what the expansion alone costs.
   */
  private static void mlDsa(StringBuilder md, Map<String, double[]> us) {
    double bcSign = score(us, "cryptoMlDsaSignBouncyCastle");
    double bcVerify = score(us, "cryptoMlDsaVerifyBouncyCastle");
    md.append("\n## ML-DSA-65: keeping each key's expanded form\n\n");
    md.append("| operation | µs/op | share of Bouncy Castle's call |\n|---|---:|---:|\n");
    String[][] rows = {
      {
        "sign, Bouncy Castle (expands the private key per call)", "cryptoMlDsaSignBouncyCastle", "s"
      },
      {"sign, expanded key kept (engine)", "cryptoMlDsaSign", "s"},
      {"expanding a private key: Â, NTT(s1), NTT(s2), NTT(t0)", "expandSigningKey", "s"},
      {
        "verify, Bouncy Castle (expands the public key per call)",
        "cryptoMlDsaVerifyBouncyCastle",
        "v"
      },
      {"verify, engine code expanding the key per call", "cryptoMlDsaVerifyExpandingKey", "v"},
      {"verify, expanded key kept (validation)", "cryptoMlDsaVerify", "v"},
      {"expanding a public key: Â, NTT(t1·2^d), tr", "expandVerifyingKey", "v"},
    };
    for (String[] r : rows) {
      double v = score(us, r[1]);
      double of = r[2].equals("s") ? bcSign : bcVerify;
      md.append(String.format(Locale.ROOT, "| %s | %.1f | %.0f %% |%n", r[0], v, 100 * v / of));
    }
  }

  /** The engine may cost at most this many times the crypto it calls. */
  static final double MAX_RATIO = 1.3;

  /**
   * One path: its cost, the crypto floor (0 when it calls none), and the absolute budget in µs (0
   * when there is none besides the ratio).
   */
  private static void row(
      StringBuilder md, String path, double engine, double floor, String target, double budget) {
    boolean met = (floor <= 0 || engine / floor <= MAX_RATIO) && (budget <= 0 || engine < budget);
    md.append(
        String.format(
            Locale.ROOT,
            "| %s | %.1f | %s | %s | %s | %s |%n",
            path,
            engine,
            floor > 0 ? String.format(Locale.ROOT, "%.1f", floor) : "-",
            floor > 0 ? String.format(Locale.ROOT, "%.2fx", engine / floor) : "-",
            target,
            Double.isNaN(engine) ? "not run" : met ? "met" : "missed"));
  }

  private static double score(Map<String, double[]> us, String name) {
    double[] v = us.get(name);
    return v == null ? Double.NaN : v[0];
  }
}
