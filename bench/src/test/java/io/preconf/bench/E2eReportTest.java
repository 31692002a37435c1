package io.preconf.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report puts each figure beside its target with the right verdict, and keeps the notes. */
class E2eReportTest {
  /** The generator's TSV header, as bench/loadgen/loadgen.c writes it. */
  static final List<String> COLUMNS =
      List.of(
          "scenario",
          "storage",
          "kind",
          "target_rps",
          "seconds",
          "requests",
          "ok",
          "errors",
          "error_kinds",
          "overloaded",
          "overloaded_without_retry_after",
          "backend_unavailable",
          "refusal_p99_ms",
          "achieved_rps",
          "sent_rps",
          "p50_ms",
          "p90_ms",
          "p99_ms",
          "p999_ms",
          "max_ms",
          "window_s",
          "late_sends",
          "send_lag_p99_ms",
          "max_in_flight",
          "connections",
          "machine_busy_pct",
          "machine_cpu_ms_per_ok",
          "engine_cores",
          "cpu_ms_per_req_engine",
          "cpu_ms_per_req_redis",
          "cpu_ms_per_req_postgres",
          "cpu_ms_per_req_feed",
          "cpu_ms_per_req_generator",
          "note");

  @TempDir Path dir;

  @Test
  void setsEachFigureBesideItsTargetAndKeepsTheNotes() throws Exception {
    Path tsv = dir.resolve("e2e.tsv");
    table(
        tsv,
        row("single", "500", Map.of("p50_ms", "1.50", "p99_ms", "12.00", "achieved_rps", "499.0")),
        row(
            "overload",
            "800",
            Map.of(
                "errors", "100",
                "overloaded", "90",
                "backend_unavailable", "10",
                "achieved_rps", "380.0",
                "error_kinds", "HTTP 503 OVERLOADED x90; rejected: BACKEND_UNAVAILABLE x10")),
        validate("validate", "100 bodies, 20 distinct commitments, 80 of them under a commitment"),
        validate("validate-cached", "100 bodies, 20 distinct commitments, 80 of them under"),
        validate(
            "validate-batch-cached",
            "10000 bodies, 20 distinct commitments, 9980 of them under; 100 per request"));
    Path out = dir.resolve("e2e.md");
    String facts =
        "peak=400\npeak_rate=500\nheld_rate=300\nbroke=at 750/s\noverload_voided=3\n"
            + "engine_threads_cpu=validate 0.030 (vert.x-eventloo 0.030); validate-cached 0.020"
            + " (vert.x-eventloo 0.015,C_CompilerThre 0.003,C_CompilerThre_ 0.001,GC_Thread#"
            + " 0.001); \n";

    write(out, tsv, facts);
    String report = Files.readString(out);

    assertThat(report)
        .contains("| 500 single-tx requests/s sustained: p50 ≤ 2 ms | 1.50 ms | met |")
        .contains("| the same: p99 ≤ 10 ms | 12.00 ms | **missed** by 2.00 (1.2x the target) |")
        .contains("| the same: 0 errors | 0 | met |")
        .contains("goodput ≥ 90 % of the peak | 95% (380.0/s) | met |")
        .contains("| **missed** by 10 other refusals |")
        .contains("| the same: 0 `BACKEND_UNAVAILABLE` | 10 | **missed** by 10 |")
        .contains("| 3 positions voided")
        .contains("offered above the measured peak (400/s)")
        .contains(
            "cold validations ≥ 5,000 per engine core-second (1000/s offered, 100 valid) | not"
                + " counted: 100 bodies, 20 distinct commitments")
        .contains(
            "cached-leaf validations ≥ 100,000 per engine core-second (1000/s offered, 100 valid)"
                + " | 50000 per core-second | **missed** by 50000 (50% of the target) |")
        .contains(
            "80 of them under; the JIT compiler's threads 20 % of the engine's CPU (0.004 of 0.020"
                + " ms per request) |")
        .contains(
            "cached-leaf validations, 100 per request, ≥ 100,000 per engine core-second (1000"
                + " requests/s offered, 100 valid) | 5000000 per core-second | met | 10000"
                + " bodies, 20 distinct commitments, 9980 of them under; 100 per request |");

    Files.writeString(out, report + "Read by hand: the disk was slow.\n");
    write(out, tsv, facts);
    assertThat(Files.readString(out))
        .endsWith(E2eReport.NOTES_MARKER + "\nRead by hand: the disk was slow.\n");
  }

  @Test
  void namesEachScenarioWhereTheGeneratorCostMoreThanTheEngineBesideWhatItCostsAlone()
      throws Exception {
    Map<String, String> single =
        Map.of("cpu_ms_per_req_engine", "1.000", "cpu_ms_per_req_generator", "0.070");
    Map<String, String> cached =
        Map.of("cpu_ms_per_req_engine", "0.049", "cpu_ms_per_req_generator", "0.056");
    Map<String, String> cold =
        Map.of("cpu_ms_per_req_engine", "0.040", "cpu_ms_per_req_generator", "0.050");
    Path tsv = dir.resolve("e2e.tsv");
    table(
        tsv,
        row("single", "500", single),
        row("validate-cached", "2000", cached),
        row("validate", "500", cold));
    Path alone = dir.resolve("alone.tsv");
    table(
        alone,
        row("single", "500", Map.of("cpu_ms_per_req_generator", "0.031")),
        row("validate-cached", "2000", Map.of("cpu_ms_per_req_generator", "0.043")),
        row("validate", "500", Map.of("cpu_ms_per_req_generator", "0.045")));
    Path out = dir.resolve("e2e.md");

    write(out, tsv, "generator_alone=" + alone + "\n");

    assertThat(Files.readString(out))
        .contains(
            "The generator must cost less per request than the engine: **it did not** in"
                + " validate, cached leaf at 2000/s (engine 0.049, generator 0.056 ms; the generator"
                + " alone 0.043 ms, 88 % of what the engine spent); validate, cold at 500/s (engine"
                + " 0.040, generator 0.050 ms; the generator alone 0.045 ms, more than the engine"
                + " spent).")
        .contains("| 0.070 | 0.031 |")
        .contains("| 0.056 | 0.043 |")
        .contains("| 14x |")
        .contains("| 0.9x |");

    table(tsv, row("single", "500", single));
    Files.delete(out);
    write(out, tsv, "generator_alone=" + dir.resolve("none.tsv") + "\n");

    assertThat(Files.readString(out))
        .contains("it did in every scenario, by 14x at least (last column)")
        .doesNotContain("Generator alone\" is")
        .contains("| 0.070 | - |");
  }

  /** Writes the generator's TSV: its header, then the rows. */
  static void table(Path file, String... rows) throws Exception {
    Files.writeString(file, String.join("\t", COLUMNS) + "\n" + String.join("\n", rows) + "\n");
  }

  static void write(Path out, Path tsv, String facts) throws Exception {
    InputStream was = System.in;
    System.setIn(new ByteArrayInputStream(facts.getBytes(StandardCharsets.UTF_8)));
    try {
      E2eReport.main(new String[] {out.toString(), tsv.toString()});
    } finally {
      System.setIn(was);
    }
  }

  /** 100 validations at 1,000/s, each costing the engine 0.02 ms of CPU. */
  static String validate(String scenario, String note) {
    return row(
        scenario,
        "1000",
        Map.of(
            "kind", "validate",
            "requests", "100",
            "ok", "100",
            "cpu_ms_per_req_engine", "0.020",
            "note", note));
  }

  /** A durable single-tx row of 10,000 requests, 0 in every figure not given. */
  static String row(String scenario, String rate, Map<String, String> given) {
    Map<String, String> r = new LinkedHashMap<>();
    for (String c : COLUMNS) {
      r.put(c, "0");
    }
    r.put("scenario", scenario);
    r.put("storage", "durable");
    r.put("kind", "single");
    r.put("target_rps", rate);
    r.put("requests", "10000");
    r.put("error_kinds", "-");
    r.put("note", "-");
    r.putAll(given);
    return String.join("\t", r.values());
  }
}
