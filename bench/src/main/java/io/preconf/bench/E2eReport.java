package io.preconf.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Scanner;

/**
 * Writes benchmarks/e2e.md from LoadGen's TSV, the run's facts (key=value lines on standard input),
 * the JFR summary and the core JMH floor measured on the same machine (benchmarks/core-jmh.md).
 * Text below the notes marker of an existing report is kept, so hand-written reading of the figures
 * survives a re-run (and says which run it was written for).
 *
 * <p>Arguments: the report to write, the TSV, the profile summary (may be missing).
 */
public final class E2eReport {
  static final String NOTES_MARKER =
      "<!-- notes below are written by hand and kept by bench/e2e.sh -->";

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    List<String> tsv = Files.readAllLines(Path.of(args[1]));
    Path profile = args.length > 2 ? Path.of(args[2]) : null;
    Map<String, String> facts = new LinkedHashMap<>();
    try (Scanner in = new Scanner(System.in)) {
      while (in.hasNextLine()) {
        String line = in.nextLine();
        int eq = line.indexOf('=');
        if (eq > 0) {
          facts.put(line.substring(0, eq), line.substring(eq + 1).trim());
        }
      }
    }
    List<Map<String, String>> rows = new ArrayList<>();
    String[] header = tsv.get(0).split("\t");
    for (String line : tsv.subList(1, tsv.size())) {
      String[] cells = line.split("\t", -1);
      Map<String, String> row = new LinkedHashMap<>();
      for (int i = 0; i < header.length; i++) {
        row.put(header[i], cells[i]);
      }
      rows.add(row);
    }

    StringBuilder md = new StringBuilder();
    md.append("# End-to-end benchmark\n\n");
    md.append("Written by `bench/e2e.sh` on ")
        .append(
            facts.getOrDefault("written", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()))
        .append(
            ". Every figure below comes from that run; nothing is edited by hand above the notes.\n\n");
    md.append("## The run\n\n");
    md.append("- Command: `").append(facts.get("command")).append("`\n");
    md.append("- Warm-up, fsync relaxed, not reported: `")
        .append(facts.get("warmup"))
        .append("`\n");
    md.append("- Scenarios (kind:rate per second:seconds), pass 1, durable storage: `")
        .append(facts.get("durable"))
        .append("`\n");
    md.append("- Pass 2, relaxed storage: `").append(facts.get("relaxed")).append("`\n");
    md.append("- Disk: one 4 KiB write with O_DSYNC (a `dd` probe) took ")
        .append(facts.get("fsync"))
        .append("; every durable write waits for one\n");
    md.append("- Commit: ").append(facts.get("commit")).append("\n");
    md.append("- Machine: ").append(facts.get("machine")).append("\n");
    md.append("- Load average (1, 5, 15 min) before: `")
        .append(facts.get("load_before"))
        .append("`, after: `")
        .append(facts.get("load_after"))
        .append("`\n");
    md.append("- Java: ").append(facts.get("java")).append("\n");
    md.append("- Quarkus ")
        .append(facts.get("quarkus"))
        .append(", Redis ")
        .append(facts.get("redis"))
        .append(", PostgreSQL ")
        .append(facts.get("postgresql"))
        .append("\n");
    md.append("- secp256k1 backend: ").append(facts.get("backend")).append("\n");
    md.append("- Engine JVM flags (ergonomic defaults, as `bin/run` starts it): `")
        .append(facts.get("engine_flags"))
        .append("`\n");
    md.append(
        "- Set-up: the functions jar over HTTP on 127.0.0.1, real Redis (append-only file, fsync on"
            + " every write, as `infra/scripts/servers.sh` runs it) and real PostgreSQL 15 (fsync on),"
            + " all fresh for the run. The warm-up runs with fsync relaxed; pass 1 then runs"
            + " with the servers' own settings, and pass 2 relaxes exactly the fsyncs, on the same"
            + " servers and engine: Redis `appendfsync everysec`, PostgreSQL"
            + " `synchronous_commit = off`. ECDSA and ML-DSA-65 signatures on, MEV protection on, parallel"
            + " processing on. The two default rollups, with the per-slot caps raised so that no"
            + " request is refused by slot policy. Every transaction is a signed EIP-1559 transfer"
            + " from a fresh random sender, signed before its scenario starts.\n");
    md.append(
        "- Load: open loop at a fixed rate, latency measured from the instant each request was due"
            + " (so queueing in the engine or the generator counts), HdrHistogram. The generator runs"
            + " on the same 2 cores as the engine, Redis and PostgreSQL, so every figure includes"
            + " that contention.\n");
    md.append(
        "- Engine CPU: user+system time of the engine process over the scenario (`/proc/PID/stat`),"
            + " as cores in use and as CPU milliseconds per request; RSS from `/proc/PID/status`,"
            + " heap from `/q/metrics` at the end of the scenario.\n\n");

    md.append("## Figures\n\n");
    md.append(
        "| scenario | storage | target rps | requests | ok | errors | achieved rps | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | engine cores | engine CPU ms/req | RSS max MB | heap MB |\n");
    md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Map<String, String> r : rows) {
      md.append("| ")
          .append(label(r))
          .append(" | ")
          .append(
              String.join(
                  " | ",
                  r.get("storage"),
                  r.get("target_rps"),
                  r.get("requests"),
                  r.get("ok"),
                  r.get("errors"),
                  r.get("achieved_rps"),
                  r.get("p50_ms"),
                  r.get("p90_ms"),
                  r.get("p99_ms"),
                  r.get("p999_ms"),
                  r.get("max_ms"),
                  r.get("engine_cpu_cores"),
                  r.get("engine_cpu_ms_per_req"),
                  r.get("rss_max_mb"),
                  r.get("heap_used_mb")))
          .append(" |\n");
    }
    md.append(
        "\nWhere the engine's CPU went (its threads, over each scenario): event loops (HTTP, JSON,"
            + " Redis and PostgreSQL clients), workers (decoding, recovery, signing, validation),"
            + " JIT compiler threads, GC. Machine busy is all CPU time on the machine over the"
            + " scenario (engine, generator, Redis, PostgreSQL and anything else running);"
            + " generator cores is the load generator's own share.\n\n");
    md.append(
        "| scenario | storage | target rps | engine CPU by thread | machine busy | generator cores"
            + " | most in flight | note |\n"
            + "|---|---|---:|---|---:|---:|---:|---|\n");
    for (Map<String, String> r : rows) {
      md.append("| ")
          .append(label(r))
          .append(" | ")
          .append(r.get("storage"))
          .append(" | ")
          .append(r.get("target_rps"))
          .append(" | ")
          .append(r.get("engine_cpu_split"))
          .append(" | ")
          .append(r.get("machine_busy_pct"))
          .append("% | ")
          .append(r.get("generator_cores"))
          .append(" | ")
          .append(r.get("max_in_flight"))
          .append(" | ")
          .append(r.get("note"))
          .append(" |\n");
    }
    boolean anyErrors = false;
    for (Map<String, String> r : rows) {
      if (!r.get("error_kinds").equals("-")) {
        if (!anyErrors) {
          md.append("\nErrors by kind:\n\n");
          anyErrors = true;
        }
        md.append("- ")
            .append(label(r))
            .append(" at ")
            .append(r.get("target_rps"))
            .append(" rps, ")
            .append(r.get("storage"))
            .append(": ")
            .append(r.get("error_kinds"))
            .append("\n");
      }
    }
    md.append("\n");

    md.append("## Against the targets\n\n");
    md.append("| target | measured | verdict |\n|---|---|---|\n");
    for (String storage : List.of("durable", "relaxed")) {
      Map<String, String> at500 = find(rows, "single", "500", storage);
      if (at500 != null) {
        md.append(
            verdict("p50 at most 2 ms at 500 rps, " + storage, num(at500, "p50_ms"), 2.0, "ms"));
        md.append(
            verdict("p99 at most 10 ms at 500 rps, " + storage, num(at500, "p99_ms"), 10.0, "ms"));
      }
      for (Map<String, String> r : rows) {
        if (r.get("scenario").equals("batch") && r.get("storage").equals(storage)) {
          String at = r.get("target_rps") + " batches/s, " + storage;
          md.append(
              verdict(
                  "100-transaction batch in at most 15 ms, p50 at " + at,
                  num(r, "p50_ms"),
                  15.0,
                  "ms"));
          md.append(verdict("the same, p99 at " + at, num(r, "p99_ms"), 15.0, "ms"));
        }
      }
    }
    for (Map<String, String> r : rows) {
      if (r.get("kind").equals("validate") && !r.get("note").startsWith("each validates")) {
        md.append("| validation at least 5,000 per second per core, ")
            .append(r.get("target_rps"))
            .append(" rps offered | not counted: ")
            .append(r.get("note"))
            .append(", so it measures the cached path | - |\n");
        continue;
      }
      if (r.get("kind").equals("validate")) {
        double cpuMs = num(r, "engine_cpu_ms_per_req");
        double perCore = cpuMs > 0 ? 1000 / cpuMs : 0;
        md.append(
            verdictAtLeast(
                "validation at least 5,000 per second per core (engine CPU per validation, "
                    + r.get("target_rps")
                    + " rps offered)",
                perCore,
                5000,
                "per core-second"));
      }
    }
    md.append(
        "\nValidations per core-second are the validations the engine answered divided by the CPU"
            + " time its process used (all threads: HTTP, JSON, crypto, metrics), so they count"
            + " everything a validation costs, not only the signature checks.\n\n");

    md.append("## Beside the seed's table\n\n");
    md.append(
        "The seed claimed these latencies; here is what the whole engine, over HTTP with Redis and"
            + " PostgreSQL, measured in this run (p50 / p99).\n\n");
    md.append("| seed's item | seed's claim | measured here |\n|---|---:|---|\n");
    List<String> generation = new ArrayList<>();
    List<String> processing = new ArrayList<>();
    for (String storage : List.of("durable", "relaxed")) {
      Map<String, String> single = find(rows, "single", "500", storage);
      if (single != null) {
        generation.add(pair(single, "single transaction at 500 rps, " + storage));
      }
      Map<String, String> batch = find(rows, "batch", "5", storage);
      if (batch != null) {
        processing.add(
            String.format(
                Locale.ROOT,
                "%.2f / %.2f ms per transaction in a 100-transaction batch at 5 batches/s, %s"
                    + " (%s / %s ms per batch)",
                num(batch, "p50_ms") / 100,
                num(batch, "p99_ms") / 100,
                storage,
                batch.get("p50_ms"),
                batch.get("p99_ms")));
      }
    }
    md.append("| preconfirmation generation | 15 ms | ")
        .append(generation.isEmpty() ? "not measured" : String.join("; ", generation))
        .append(" |\n");
    md.append("| transaction processing | 10 ms | ")
        .append(processing.isEmpty() ? "not measured" : String.join("; ", processing))
        .append(" |\n");
    md.append("| validation | 5 ms | ")
        .append(pair(first(rows, "validate"), "per validation"))
        .append(" |\n");
    md.append(
        "| MEV protection | 20 ms | no separate step: on in every run above (the in-request nonce"
            + " order check and the lane's check in the same Redis script as the claim), so its cost"
            + " is inside the preconfirm figures |\n\n");

    md.append("## The crypto floor (core JMH, same machine)\n\n");
    Path floor = facts.get("floor") == null ? null : Path.of(facts.get("floor"));
    if (floor != null && Files.exists(floor)) {
      md.append(
          "Measured by `bench/e2e.sh` right after the engine stopped, on the same machine (JMH,"
              + " `CoreBenchmark.crypto*`, 1 fork, 2 x 2 s warm-up, 3 x 2 s measurement; load average "
              + facts.get("floor_load")
              + "). The native rows are libsecp256k1 through JNI.\n\n");
      md.append("| crypto step | µs/op | ± error (99.9%) |\n|---|---:|---:|\n");
      com.fasterxml.jackson.databind.JsonNode runs =
          new com.fasterxml.jackson.databind.ObjectMapper().readTree(floor.toFile());
      for (com.fasterxml.jackson.databind.JsonNode run : runs) {
        com.fasterxml.jackson.databind.JsonNode m = run.get("primaryMetric");
        md.append(
            String.format(
                Locale.ROOT,
                "| %s | %.1f | %.1f |%n",
                run.get("benchmark").asText().replaceAll(".*\\.", ""),
                m.get("score").asDouble(),
                m.get("scoreError").asDouble()));
      }
      md.append("\n");
    }
    Path jmh = Path.of("benchmarks/core-jmh.md");
    if (Files.exists(jmh)) {
      md.append(
          "And from [`core-jmh.md`](core-jmh.md) (`bench/core-jmh.sh`, its own run; see its date"
              + " and load): the engine's paths with in-memory ports beside the raw crypto they"
              + " call.\n\n");
      boolean inTable = false;
      for (String line : Files.readAllLines(jmh)) {
        boolean row = line.startsWith("|");
        if (row || line.startsWith("Written") || line.startsWith("- Load")) {
          if (row != inTable) {
            md.append("\n");
          }
          md.append(line).append("\n");
        } else if (inTable) {
          md.append("\n");
        }
        inTable = row && !line.isEmpty();
      }
      md.append("\n");
    } else {
      md.append("`benchmarks/core-jmh.md` is not there yet: run `bench/core-jmh.sh`.\n\n");
    }

    md.append("## Profile\n\n");
    if (profile != null && Files.exists(profile)) {
      md.append(
          "JFR (`settings=profile`) on the engine during the `profile-single` scenario (a separate"
              + " run, so the figures above are not profiled).\n\n");
      md.append(Files.readString(profile)).append("\n");
    } else {
      md.append("No profile in this run.\n\n");
    }

    String notes = "";
    if (Files.exists(out)) {
      String old = Files.readString(out);
      int at = old.indexOf(NOTES_MARKER);
      if (at >= 0) {
        notes = old.substring(at + NOTES_MARKER.length());
      }
    }
    md.append(NOTES_MARKER).append(notes.isEmpty() ? "\n" : notes);
    Files.writeString(out, md.toString());
  }

  static String label(Map<String, String> r) {
    String kind =
        switch (r.get("kind")) {
          case "single" -> "preconfirm, 1 tx";
          case "batch" -> "preconfirm, 100-tx batch";
          case "validate" -> "validate";
          default -> r.get("kind");
        };
    return r.get("scenario").startsWith("profile-") ? kind + " (under JFR)" : kind;
  }

  static Map<String, String> find(
      List<Map<String, String>> rows, String kind, String rate, String storage) {
    for (Map<String, String> r : rows) {
      if (r.get("scenario").equals(kind)
          && r.get("target_rps").equals(rate)
          && r.get("storage").equals(storage)) {
        return r;
      }
    }
    return null;
  }

  static Map<String, String> first(List<Map<String, String>> rows, String kind) {
    for (Map<String, String> r : rows) {
      if (r.get("scenario").equals(kind)) {
        return r;
      }
    }
    return null;
  }

  static String pair(Map<String, String> r, String what) {
    return r == null ? "not measured" : r.get("p50_ms") + " / " + r.get("p99_ms") + " ms " + what;
  }

  static double num(Map<String, String> r, String key) {
    return Double.parseDouble(r.get(key));
  }

  static String verdict(String target, double measured, double limit, String unit) {
    String v =
        measured <= limit
            ? "met"
            : String.format(
                Locale.ROOT,
                "**missed** by %.2f %s (%.1fx the target)",
                measured - limit,
                unit,
                measured / limit);
    return String.format(Locale.ROOT, "| %s | %.2f %s | %s |%n", target, measured, unit, v);
  }

  static String verdictAtLeast(String target, double measured, double floor, String unit) {
    String v =
        measured >= floor
            ? "met"
            : String.format(
                Locale.ROOT,
                "**missed** by %.0f %s (%.0f%% of the target)",
                floor - measured,
                unit,
                100 * measured / floor);
    return String.format(Locale.ROOT, "| %s | %.0f %s | %s |%n", target, measured, unit, v);
  }
}
