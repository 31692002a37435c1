package io.preconf.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * Writes benchmarks/e2e.md from the load generator's TSV (one row per scenario, see
 * bench/loadgen/loadgen.c), the run's facts (key=value lines on standard input), the JFR summary,
 * the crypto floor measured in the same run and the core JMH report (benchmarks/core-jmh.md). Each
 * figure of the engine's throughput targets stands beside its target, met or missed and by how
 * much. Text below the notes marker of an existing report is kept, so hand-written reading of the
 * figures survives a re-run (and says which run it was written for).
 *
 * <p>Arguments: the report to write, the TSV, the profile summary (may be missing), the profile
 * summary of the cached-leaf validations (may be missing).
 */
public final class E2eReport {
  static final String NOTES_MARKER =
      "<!-- notes below are written by hand and kept by bench/e2e.sh -->";
  static final String[] PROCESSES = {"engine", "redis", "postgres", "feed", "generator"};

  final List<Map<String, String>> rows;
  final Map<String, String> facts;
  final StringBuilder md = new StringBuilder();

  /** JfrTop's summary of the engine during the cached-leaf validations under JFR, if any. */
  Path validateProfile;

  E2eReport(List<Map<String, String>> rows, Map<String, String> facts) {
    this.rows = rows;
    this.facts = facts;
  }

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    Path profile = args.length > 2 ? Path.of(args[2]) : null;
    E2eReport report = new E2eReport(readTsv(Path.of(args[1])), readFacts());
    report.validateProfile = args.length > 3 ? Path.of(args[3]) : null;
    report.run();
    report.targets();
    report.scenarios();
    report.cpu();
    report.seed();
    report.floor();
    report.profile(profile);
    report.md.append(NOTES_MARKER).append(keptNotes(out));
    Files.writeString(out, report.md.toString());
  }

  /** The run's facts: key=value lines on standard input. */
  static Map<String, String> readFacts() {
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
    return facts;
  }

  /** What an existing report holds below the notes marker (a line break when nothing). */
  static String keptNotes(Path out) throws IOException {
    if (Files.exists(out)) {
      String old = Files.readString(out);
      int at = old.indexOf(NOTES_MARKER);
      if (at >= 0) {
        return old.substring(at + NOTES_MARKER.length());
      }
    }
    return "\n";
  }

  static List<Map<String, String>> readTsv(Path tsv) throws IOException {
    List<String> lines = Files.readAllLines(tsv);
    List<Map<String, String>> rows = new ArrayList<>();
    String[] header = lines.get(0).split("\t");
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split("\t", -1);
      Map<String, String> row = new LinkedHashMap<>();
      for (int i = 0; i < header.length; i++) {
        row.put(header[i], i < cells.length ? cells[i] : "-");
      }
      rows.add(row);
    }
    return rows;
  }

  // ------------------------------------------------------------------ sections

  void run() {
    md.append("# End-to-end benchmark\n\n");
    md.append("Written by `bench/e2e.sh` on ")
        .append(
            facts.getOrDefault("written", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()))
        .append(
            ". Every figure below comes from that run; nothing is edited by hand above the notes.\n\n");
    md.append("## The run\n\n");
    fact("Command", "`" + facts.get("command") + "`");
    fact("Commit", facts.get("commit"));
    fact("Machine", facts.get("machine"));
    fact(
        "Load average (1, 5, 15 min) before",
        "`" + facts.get("load_before") + "`, after: `" + facts.get("load_after") + "`");
    fact("Java", facts.get("java"));
    fact(
        "Versions",
        "Quarkus "
            + facts.get("quarkus")
            + ", Redis "
            + facts.get("redis")
            + ", PostgreSQL "
            + facts.get("postgresql"));
    fact("Generator", "`bench/loadgen/loadgen.c`, built by " + facts.get("gcc"));
    fact("Generator self-test (run before the benchmark)", facts.get("selftest"));
    fact("secp256k1 backend", facts.get("backend"));
    fact(
        "Engine JVM flags (as `bin/run` starts it, or E2E_ENGINE_JAVA_OPTS)",
        "`" + facts.get("engine_flags") + "`");
    fact(
        "Engine's context switches per answered request (by scenario; all its threads,"
            + " voluntary and not, from /proc)",
        facts.getOrDefault("engine_switches", "-"));
    fact(
        "Engine's CPU per answered request by kind of thread (by scenario; ms of user and system"
            + " time from /proc, kinds of 1 % or more; a thread that ended during the scenario is"
            + " not counted)",
        facts.getOrDefault("engine_threads_cpu", "-"));
    fact(
        "Disk",
        "one 4 KiB write with O_DSYNC (a `dd` probe) took "
            + facts.get("fsync")
            + "; every durable write waits for one");
    fact(
        "Redis's disk writes per answered request (by scenario; `/proc` write_bytes, AOF size)",
        facts.getOrDefault("redis_disk", "-"));
    fact(
        "PostgreSQL's WAL and transactions per answered request (by scenario; WAL position"
            + " difference, `pg_stat_database` commits)",
        facts.getOrDefault("pg_wal", "-"));
    if (!facts.getOrDefault("redis_scripts", "").isEmpty()) {
      fact(
          "Redis's time per Lua script (slow log of every command, `E2E_REDIS_SCRIPTS=1`)",
          facts.get("redis_scripts"));
    }
    fact(
        "Warm-up (not reported: fsync relaxed, then on, since slower storage makes bigger rounds"
            + " whose paths the JIT would otherwise compile inside the first durable scenario;"
            + " Redis's AOF is then rewritten, and the rewrite waited for, so that no durable"
            + " scenario pays for the warm-up's log; the validations once more right before"
            + " theirs, since the JIT compiled their paths inside the measured cold validations"
            + " after the preconfirm scenarios)",
        "`"
            + facts.get("warmup")
            + "`, then durable `"
            + facts.getOrDefault("warmup_durable", "")
            + "`, before the validations `"
            + facts.getOrDefault("warmup_validate", "")
            + "`");
    fact("Sustained rates (durable)", "`" + facts.get("sustained") + "`");
    fact("Peak search (durable)", "rates `" + facts.get("steps") + "`");
    fact(
        "Batches, validations (durable)",
        "`" + facts.get("batch") + " " + facts.get("validate") + "`");
    fact(
        "Relaxed storage",
        "`" + facts.get("relaxed") + "`; under JFR: `" + facts.get("profile") + "`");
    md.append(
        "- Set-up: the functions jar over HTTP on 127.0.0.1 and the feed node (the websocket"
            + " process, with no subscriber) beside it, as `bin/run` starts them; real Redis"
            + " (append-only file, fsync on every write, as `infra/scripts/servers.sh` runs it) and"
            + " real PostgreSQL 15 (fsync on), all fresh for the run. `durable` rows run with the"
            + " servers' own settings; `relaxed` rows relax exactly the fsyncs, on the same servers"
            + " and engine (Redis `appendfsync everysec`, PostgreSQL `synchronous_commit = off`)."
            + " ECDSA and ML-DSA-65 signatures on, MEV protection on. The two default rollups, with"
            + " the per-slot caps raised so that no request is refused by slot policy. Every"
            + " transaction is a signed EIP-1559 transfer from a fresh random sender, signed before"
            + " its scenario starts.\n");
    md.append(
        "- Load: open loop at a fixed rate, HTTP/1.1 keep-alive connections opened as they are"
            + " needed; every latency runs from the instant its request was due, so queueing in the"
            + " engine, in the kernel or in the generator counts (no coordinated omission). Log"
            + " buckets, 128 per power of two (a value is reported at most 0.8 % high); max is"
            + " exact. Late sends are requests the generator sent more than 1 ms after they were"
            + " due: their lateness is inside the latencies, and many of them mean the machine, not"
            + " only the engine, was short of CPU.\n");
    md.append(
        "- CPU: user + system time from `/proc/PID/stat` over each scenario's window (first due"
            + " request to last answer) for the engine, Redis, PostgreSQL (the postmaster and its"
            + " backends) and the feed node; the generator's own from `getrusage`; the whole machine"
            + " (every process on it, other work included) as its CPUs' time over the window less"
            + " their idle time in `/proc/stat`, which the kernel keeps by its clock (its user and"
            + " system fields are sampled at the clock tick, and miss or overcount short bursts of"
            + " work on a mostly idle machine).\n\n");
  }

  void fact(String name, String value) {
    md.append("- ").append(name).append(": ").append(value).append("\n");
  }

  void targets() throws IOException {
    md.append("## Against the targets\n\n");
    md.append(
        "Generator, engine, Redis, PostgreSQL and feed node on the same cores, fsync on, ECDSA +"
            + " ML-DSA on.\n\n");
    md.append("| target | measured | verdict | why, where known |\n|---|---|---|---|\n");
    double peak = number(facts.get("peak"));
    Map<String, String> at500 = find("single", "500", "durable");
    if (at500 != null) {
      String why = why(at500, peak);
      row("500 single-tx requests/s sustained: p50 ≤ 2 ms", at500, "p50_ms", 2, why);
      row("the same: p99 ≤ 10 ms", at500, "p99_ms", 10, why);
      row("the same: 0 errors", at500, "errors", 0, kinds(at500));
    }
    Map<String, String> at2000 = find("single", "2000", "durable");
    if (at2000 != null) {
      row(
          "2,000 single-tx requests/s sustained: p99 ≤ 50 ms (errors: "
              + at2000.get("errors")
              + ")",
          at2000,
          "p99_ms",
          50,
          why(at2000, peak));
    }
    if (peak > 0) {
      md.append(
          String.format(
              Locale.ROOT,
              "| the peak: single requests stepped up until p99 or errors break | %.1f answered/s"
                  + " (at %s/s offered); %s | - | broke %s |%n",
              peak,
              facts.get("peak_rate"),
              "0".equals(facts.get("held_rate"))
                  ? "no step held"
                  : "held up to " + facts.get("held_rate") + "/s",
              facts.get("broke")));
    }
    Map<String, String> over = first("overload");
    if (over != null && peak > 0) {
      double goodput = number(over.get("achieved_rps"));
      md.append(
          verdictAtLeast(
              "2x the peak offered (" + over.get("target_rps") + "/s): goodput ≥ 90 % of the peak",
              100 * goodput / peak,
              90,
              "% (" + over.get("achieved_rps") + "/s)",
              why(over, peak)));
      long errors = (long) number(over.get("errors"));
      long overloaded = (long) number(over.get("overloaded"));
      String refusals =
          String.format(
              Locale.ROOT,
              "%d of %d refusals OVERLOADED, %s without Retry-After; refusal p99 %s ms (from"
                  + " sending)",
              overloaded,
              errors,
              over.get("overloaded_without_retry_after"),
              over.get("refusal_p99_ms"));
      md.append(
          String.format(
              Locale.ROOT,
              "| the same: every refusal an immediate `OVERLOADED` | %s | %s | %s |%n",
              refusals,
              errors == overloaded && number(over.get("overloaded_without_retry_after")) == 0
                  ? "met"
                  : "**missed** by " + (errors - overloaded) + " other refusals",
              kinds(over)));
      row("the same: 0 `BACKEND_UNAVAILABLE`", over, "backend_unavailable", 0, "");
      String voided = facts.getOrDefault("overload_voided", "-");
      md.append(
          String.format(
              Locale.ROOT,
              "| the same: nothing voided | %s positions voided (%s in the whole run) | %s | read"
                  + " from PostgreSQL's `void_positions` after the scenario drained |%n",
              voided,
              facts.getOrDefault("voided_total", "-"),
              voided.equals("0") ? "met" : voided.equals("-") ? "-" : "**missed** by " + voided));
    }
    Map<String, String> batch = first("batch");
    if (batch != null) {
      row(
          "100-tx batch (" + batch.get("target_rps") + "/s): p50 ≤ 15 ms",
          batch,
          "p50_ms",
          15,
          why(batch, 0));
    }
    if (at500 != null) {
      double ours = cpuOfAll(at500);
      double floor = floorPerPreconfirm();
      String why =
          String.format(
              Locale.ROOT,
              "engine, Redis, PostgreSQL, feed node and generator: %.2f ms of it; the rest is"
                  + " other work on the machine%s",
              ours,
              floor > 0
                  ? String.format(
                      Locale.ROOT,
                      "; crypto floor of one single-tx preconfirm in this run %.2f ms (%.1fx)",
                      floor / 1000,
                      number(at500.get("machine_cpu_ms_per_ok")) * 1000 / floor)
                  : "");
      row(
          "whole-machine CPU per preconfirmation at 500/s ≤ 1.5 ms (all processes)",
          at500,
          "machine_cpu_ms_per_ok",
          1.5,
          why);
    }
    validation("validate", "cold validations", 5_000, "validateCold", 1);
    validation("validate-cached", "cached-leaf validations", 100_000, "validateCachedRoot", 1);
    int per = (int) number(facts.getOrDefault("validate_per", "100"));
    validation(
        "validate-batch", "cold validations, " + per + " per request,", 5_000, "validateCold", per);
    validation(
        "validate-batch-cached",
        "cached-leaf validations, " + per + " per request,",
        100_000,
        "validateCachedRoot",
        per);
    md.append(
        "\nValidations per engine core-second are the validations the engine answered divided by"
            + " the CPU time its process used over the scenario (all threads: HTTP, JSON, crypto,"
            + " metrics), so they count everything a validation costs, not only the signature"
            + " checks; the JMH figure beside is the core's path alone, with no HTTP.\n\n");
  }

  /**
   * @param per preconfirmations per request: the batch form's requests each carry {@code per}
   */
  void validation(String scenario, String what, double target, String jmhRow, int per) {
    Map<String, String> r = first(scenario);
    if (r == null) {
      return;
    }
    String title =
        String.format(
            Locale.ROOT,
            "%s ≥ %,.0f per engine core-second (%s%s/s offered, %s valid)",
            what,
            target,
            r.get("target_rps"),
            per > 1 ? " requests" : "",
            r.get("ok"));
    // RequestBodies says "N bodies, D distinct commitments, R of them under a commitment an
    // earlier body holds": with many repeats a cold scenario measures the cached path.
    String[] said = r.get("note").split(" ");
    if (!scenario.endsWith("-cached")
        && said.length > 5
        && number(said[5]) > 0.1 * number(said[0])) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | not counted: %s | - | too few preconfirmations were issued to validate that"
                  + " many cold ones |%n",
              title,
              r.get("note")));
      return;
    }
    double cpuMs = number(r.get("cpu_ms_per_req_engine"));
    double perCore = cpuMs > 0 ? per * 1000 / cpuMs : 0;
    double jmh = jmhScore(jmhRow);
    String why =
        r.get("note")
            + (jmh > 0
                ? String.format(Locale.ROOT, "; JMH `%s`: %.0f per core-second", jmhRow, 1e6 / jmh)
                : "");
    String compiling = compilerShare(scenario);
    if (!compiling.isEmpty()) {
      why += "; " + compiling;
    }
    String shares = scenario.equals("validate-cached") ? kindShares(validateProfile, 5) : "";
    if (!shares.isEmpty()) {
      why += "; where the engine's CPU went (JFR, `profile-validate-cached`): " + shares;
    }
    md.append(verdictAtLeast(title, perCore, target, " per core-second", why));
  }

  /**
   * How much of {@code scenario}'s engine CPU its JIT compiler threads took, from the run's CPU by
   * kind of thread ("name total (kind ms,kind ms); " per scenario): a large share means the engine
   * was still compiling the scenario's paths, and the figure is not yet its steady state. Empty
   * when the run did not record it.
   */
  String compilerShare(String scenario) {
    Map<String, Double> kinds = threadsCpu(facts.getOrDefault("engine_threads_cpu", ""), scenario);
    double all = kinds.getOrDefault("", 0.0);
    if (all <= 0) {
      return "";
    }
    double compiler =
        kinds.entrySet().stream()
            .filter(e -> e.getKey().contains("CompilerThre"))
            .mapToDouble(Map.Entry::getValue)
            .sum();
    return String.format(
        Locale.ROOT,
        "the JIT compiler's threads %.0f %% of the engine's CPU (%.3f of %.3f ms per request)",
        100 * compiler / all,
        compiler,
        all);
  }

  /**
   * One scenario's entry of the CPU by kind of thread: each kind's ms per request, and under the
   * empty name the scenario's total. Empty when the scenario is not there.
   */
  static Map<String, Double> threadsCpu(String recorded, String scenario) {
    Map<String, Double> kinds = new LinkedHashMap<>();
    for (String written : recorded.split(";")) {
      String entry = written.trim();
      int open = entry.indexOf(" (");
      if (open < 0 || !entry.endsWith(")")) {
        continue;
      }
      String[] head = entry.substring(0, open).trim().split(" ");
      if (head.length != 2 || !head[0].equals(scenario)) {
        continue;
      }
      kinds.put("", number(head[1]));
      for (String kind : entry.substring(open + 2, entry.length() - 1).split(",")) {
        int space = kind.lastIndexOf(' ');
        if (space > 0) {
          kinds.put(kind.substring(0, space), number(kind.substring(space + 1)));
        }
      }
      return kinds;
    }
    return kinds;
  }

  void scenarios() {
    md.append("## Every scenario\n\n");
    md.append(
        "| scenario | storage | offered /s | requests | ok | errors | answered /s | p50 ms | p90 ms"
            + " | p99 ms | p99.9 ms | max ms | late sends | send lag p99 ms | connections |\n");
    md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Map<String, String> r : rows) {
      md.append(
              cells(
                  r,
                  "storage",
                  "target_rps",
                  "requests",
                  "ok",
                  "errors",
                  "achieved_rps",
                  "p50_ms",
                  "p90_ms",
                  "p99_ms",
                  "p999_ms",
                  "max_ms",
                  "late_sends",
                  "send_lag_p99_ms",
                  "connections"))
          .append(" |\n");
    }
    boolean any = false;
    for (Map<String, String> r : rows) {
      if (!r.get("error_kinds").equals("-")) {
        if (!any) {
          md.append("\nErrors by kind:\n\n");
          any = true;
        }
        md.append("- ")
            .append(label(r))
            .append(" at ")
            .append(r.get("target_rps"))
            .append("/s, ")
            .append(r.get("storage"))
            .append(": ")
            .append(r.get("error_kinds"))
            .append("\n");
      }
    }
    md.append("\n");
  }

  void cpu() {
    md.append("## CPU per request, by process\n\n");
    Map<String, Double> alone = generatorAlone();
    List<String> costlier = new ArrayList<>();
    double cheapest = Double.MAX_VALUE;
    for (Map<String, String> r : rows) {
      double generator = number(r.get("cpu_ms_per_req_generator"));
      if (generator > 0) {
        double engine = number(r.get("cpu_ms_per_req_engine"));
        cheapest = Math.min(cheapest, engine / generator);
        if (engine < generator) {
          Double itself = alone.get(key(r));
          costlier.add(
              String.format(
                  Locale.ROOT,
                  "%s at %s/s (engine %.3f, generator %.3f ms%s)",
                  label(r),
                  r.get("target_rps"),
                  engine,
                  generator,
                  itself == null
                      ? ""
                      : String.format(
                          Locale.ROOT,
                          "; the generator alone %.3f ms, %s",
                          itself,
                          itself >= engine
                              ? "more than the engine spent"
                              : String.format(
                                  Locale.ROOT,
                                  "%.0f %% of what the engine spent",
                                  100 * itself / engine))));
        }
      }
    }
    md.append(
        "Milliseconds of CPU per answered request over each scenario's window. The generator must"
            + " cost less per request than the engine: "
            + (cheapest == Double.MAX_VALUE
                ? "not measured in this run"
                : costlier.isEmpty()
                    ? String.format(
                        Locale.ROOT,
                        "it did in every scenario, by %s at least (last column)",
                        ratio(cheapest))
                    : "**it did not** in " + String.join("; ", costlier))
            + ".\n\n");
    if (!alone.isEmpty()) {
      md.append(
          "\"Generator alone\" is the generator sending the scenario's bodies at its rate to a"
              + " server that answers each at once and does nothing else (`loadgen serve`), right"
              + " after the scenario: what the generator costs by itself, most of it in the kernel"
              + " (its sends, reads and waits).\n\n");
    }
    md.append(
        "| scenario | storage | offered /s | engine cores | engine | Redis | PostgreSQL | feed node"
            + " | generator | generator alone | all five | whole machine per ok | machine busy"
            + " | engine / generator |\n");
    md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Map<String, String> r : rows) {
      double generator = number(r.get("cpu_ms_per_req_generator"));
      Double itself = alone.get(key(r));
      md.append(
              cells(
                  r,
                  "storage",
                  "target_rps",
                  "engine_cores",
                  "cpu_ms_per_req_engine",
                  "cpu_ms_per_req_redis",
                  "cpu_ms_per_req_postgres",
                  "cpu_ms_per_req_feed",
                  "cpu_ms_per_req_generator"))
          .append(
              String.format(
                  Locale.ROOT,
                  " | %s | %.3f | %s | %s%% | %s |%n",
                  itself == null ? "-" : String.format(Locale.ROOT, "%.3f", itself),
                  cpuOfAll(r),
                  r.get("machine_cpu_ms_per_ok"),
                  r.get("machine_busy_pct"),
                  generator > 0 ? ratio(number(r.get("cpu_ms_per_req_engine")) / generator) : "-"));
    }
    md.append("\n");
  }

  /** A cost ratio: one decimal below 10 (so that 0.9x does not read as 1x), none above. */
  static String ratio(double x) {
    return String.format(Locale.ROOT, x < 10 ? "%.1fx" : "%.0fx", x);
  }

  /** A scenario's row, named as the generator's runs alone name it. */
  static String key(Map<String, String> r) {
    return r.get("scenario") + " " + r.get("target_rps") + " " + r.get("storage");
  }

  /**
   * The generator's CPU per request when it sent each scenario's bodies to a server that does
   * nothing (the run's file named by the fact {@code generator_alone}), by {@link #key}; empty when
   * the run did not measure it.
   */
  Map<String, Double> generatorAlone() {
    Map<String, Double> alone = new LinkedHashMap<>();
    String file = facts.get("generator_alone");
    if (file == null || file.isBlank() || !Files.isRegularFile(Path.of(file))) {
      return alone;
    }
    try {
      for (Map<String, String> r : readTsv(Path.of(file))) {
        double cost = number(r.get("cpu_ms_per_req_generator"));
        if (cost > 0) {
          alone.put(key(r), cost);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the generator's runs alone in " + file, e);
    }
    return alone;
  }

  void seed() {
    md.append("## Beside the seed's table\n\n");
    md.append(
        "The seed claimed these latencies; here is what the whole engine, over HTTP with Redis and"
            + " PostgreSQL, measured in this run (p50 / p99).\n\n");
    md.append("| seed's item | seed's claim | measured here |\n|---|---:|---|\n");
    List<String> generation = new ArrayList<>();
    for (String rate : List.of("500", "2000")) {
      Map<String, String> r = find("single", rate, "durable");
      if (r != null) {
        generation.add(pair(r, "single transaction at " + rate + "/s, durable"));
      }
    }
    Map<String, String> relaxed = find("single", "500", "relaxed");
    if (relaxed != null) {
      generation.add(pair(relaxed, "at 500/s, relaxed"));
    }
    Map<String, String> batch = first("batch");
    String processing =
        batch == null
            ? "not measured"
            : String.format(
                Locale.ROOT,
                "%.2f / %.2f ms per transaction in a 100-transaction batch at %s batches/s (%s /"
                    + " %s ms per batch)",
                number(batch.get("p50_ms")) / 100,
                number(batch.get("p99_ms")) / 100,
                batch.get("target_rps"),
                batch.get("p50_ms"),
                batch.get("p99_ms"));
    md.append("| preconfirmation generation | 15 ms | ")
        .append(generation.isEmpty() ? "not measured" : String.join("; ", generation))
        .append(" |\n");
    md.append("| transaction processing | 10 ms | ").append(processing).append(" |\n");
    md.append("| validation | 5 ms | ")
        .append(pair(first("validate"), "per cold validation"))
        .append("; ")
        .append(pair(first("validate-cached"), "per cached-leaf validation"))
        .append(" |\n");
    md.append(
        "| MEV protection | 20 ms | no separate step: on in every run above (the in-request nonce"
            + " order check and the lane's check in the same Redis script as the claim), so its cost"
            + " is inside the preconfirm figures |\n\n");
  }

  void floor() throws IOException {
    md.append("## The crypto floor\n\n");
    Path floor = facts.get("floor") == null ? null : Path.of(facts.get("floor"));
    if (floor != null && Files.exists(floor)) {
      md.append(
          "Measured by `bench/e2e.sh` right after the engine stopped, on the same machine (JMH,"
              + " `CoreBenchmark.crypto*`, 1 fork, 2 x 2 s warm-up, 3 x 2 s measurement; load average "
              + facts.get("floor_load")
              + "). The native rows are libsecp256k1 through JNI.\n\n");
      md.append("| crypto step | µs/op | ± error (99.9%) |\n|---|---:|---:|\n");
      for (JsonNode run : new ObjectMapper().readTree(floor.toFile())) {
        JsonNode m = run.get("primaryMetric");
        md.append(
            String.format(
                Locale.ROOT,
                "| %s | %.1f | %.1f |%n",
                run.get("benchmark").asText().replaceAll(".*\\.", ""),
                m.get("score").asDouble(),
                m.get("scoreError").asDouble()));
      }
      md.append(
          String.format(
              Locale.ROOT,
              "\nOne single-tx preconfirm's crypto (decode and recover the sender, ECDSA-sign and"
                  + " ML-DSA-sign its commitment, with the run's backend): %.1f µs.%n%n",
              floorPerPreconfirm()));
    } else {
      md.append("Not measured in this run (`E2E_FLOOR=0`).\n\n");
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
  }

  void profile(Path profile) throws IOException {
    md.append("## Profile\n\n");
    if (profile != null && Files.exists(profile)) {
      md.append(
          "JFR (`settings=profile`) on the engine during the `profile-single` scenario (a separate"
              + " run, so the figures above are not profiled).\n\n");
      md.append(Files.readString(profile)).append("\n");
    } else {
      md.append("No profile in this run.\n\n");
    }
    if (validateProfile != null && Files.exists(validateProfile)) {
      md.append(
          "JFR (`settings=profile`) on the engine during the `profile-validate-cached` scenario"
              + " (the cached-leaf validations again, under JFR).\n\n");
      md.append(Files.readString(validateProfile)).append("\n");
    }
  }

  /**
   * The first {@code n} rows of a JfrTop summary's "kind of work" table, as "kind share, ...";
   * empty when there is no summary.
   */
  static String kindShares(Path profile, int n) {
    if (profile == null || !Files.exists(profile)) {
      return "";
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(profile);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + profile, e);
    }
    List<String> out = new ArrayList<>();
    boolean inTable = false;
    for (String line : lines) {
      if (line.startsWith("| kind of work |")) {
        inTable = true;
      } else if (inTable && line.startsWith("|") && !line.startsWith("|---")) {
        String[] cells = line.split("\\|");
        out.add(cells[1].trim() + " " + cells[2].trim());
        if (out.size() == n) {
          break;
        }
      } else if (inTable && !line.startsWith("|")) {
        break;
      }
    }
    return String.join(", ", out);
  }

  // ------------------------------------------------------------------ helpers

  /** Why a figure may be off, from what the run saw: offered above the peak, errors, CPU. */
  static String why(Map<String, String> r, double peak) {
    List<String> because = new ArrayList<>();
    double offered = number(r.get("target_rps"));
    if (peak > 0 && offered > peak * 1.05) {
      because.add(String.format(Locale.ROOT, "offered above the measured peak (%.0f/s)", peak));
    }
    double late = number(r.get("late_sends"));
    if (late > 0.01 * number(r.get("requests"))) {
      because.add(
          String.format(
              Locale.ROOT,
              "%.0f requests sent over 1 ms late: generator short of CPU or of free connections"
                  + " (send lag p99 %s ms)",
              late,
              r.get("send_lag_p99_ms")));
    }
    if (number(r.get("machine_busy_pct")) >= 95) {
      because.add("the machine was " + r.get("machine_busy_pct") + "% busy");
    }
    if (!r.get("error_kinds").equals("-")) {
      because.add(r.get("error_kinds"));
    }
    return String.join("; ", because);
  }

  static String kinds(Map<String, String> r) {
    return r.get("error_kinds").equals("-") ? "" : r.get("error_kinds");
  }

  void row(String target, Map<String, String> r, String key, double limit, String why) {
    double measured = number(r.get(key));
    String verdict =
        measured <= limit
            ? "met"
            : limit == 0
                ? String.format(Locale.ROOT, "**missed** by %.0f", measured)
                : String.format(
                    Locale.ROOT,
                    "**missed** by %.2f (%.1fx the target)",
                    measured - limit,
                    measured / limit);
    String unit = key.endsWith("_ms") || key.endsWith("_per_ok") ? " ms" : "";
    md.append(
        String.format(
            Locale.ROOT, "| %s | %s%s | %s | %s |%n", target, r.get(key), unit, verdict, why));
  }

  static String verdictAtLeast(
      String target, double measured, double floor, String unit, String why) {
    String v =
        measured >= floor
            ? "met"
            : String.format(
                Locale.ROOT,
                "**missed** by %.0f (%.0f%% of the target)",
                floor - measured,
                100 * measured / floor);
    return String.format(
        Locale.ROOT, "| %s | %.0f%s | %s | %s |%n", target, measured, unit, v, why);
  }

  /** Crypto of one single-tx preconfirm from this run's JMH floor, in µs (0 when not measured). */
  double floorPerPreconfirm() throws IOException {
    Path floor = facts.get("floor") == null ? null : Path.of(facts.get("floor"));
    if (floor == null || !Files.exists(floor)) {
      return 0;
    }
    String suffix = facts.getOrDefault("backend", "").startsWith("native") ? "Native" : "";
    Map<String, Double> score = new LinkedHashMap<>();
    for (JsonNode run : new ObjectMapper().readTree(floor.toFile())) {
      score.put(
          run.get("benchmark").asText().replaceAll(".*\\.", ""),
          run.get("primaryMetric").get("score").asDouble());
    }
    return score.getOrDefault("cryptoDecodeAndRecoverSender" + suffix, 0.0)
        + score.getOrDefault("cryptoEcdsaSign" + suffix, 0.0)
        + score.getOrDefault("cryptoMlDsaSign", 0.0);
  }

  /** A benchmark's µs/op from benchmarks/core-jmh.md (0 when not there). */
  static double jmhScore(String benchmark) {
    Path jmh = Path.of("benchmarks/core-jmh.md");
    try {
      for (String line : Files.readAllLines(jmh)) {
        String[] cells = line.split("\\|");
        if (cells.length > 2 && cells[1].trim().equals(benchmark)) {
          return number(cells[2].trim());
        }
      }
    } catch (IOException missing) {
      return 0;
    }
    return 0;
  }

  /** "| label | the cells of keys", the start of a table row for one scenario. */
  static String cells(Map<String, String> r, String... keys) {
    List<String> out = new ArrayList<>();
    out.add("| " + label(r));
    for (String k : keys) {
      out.add(r.get(k));
    }
    return String.join(" | ", out);
  }

  /** CPU per request of the engine, Redis, PostgreSQL, the feed node and the generator, in ms. */
  static double cpuOfAll(Map<String, String> r) {
    double sum = 0;
    for (String p : PROCESSES) {
      sum += number(r.get("cpu_ms_per_req_" + p));
    }
    return sum;
  }

  static String label(Map<String, String> r) {
    String kind =
        switch (r.get("kind")) {
          case "single" -> "preconfirm, 1 tx";
          case "batch" -> "preconfirm, 100-tx batch";
          default -> r.get("kind");
        };
    return switch (r.get("scenario")) {
      case "step" -> kind + ", peak search";
      case "overload" -> kind + ", 2x the peak";
      case "validate" -> "validate, cold";
      case "validate-cached" -> "validate, cached leaf";
      case "validate-batch" -> "validate, cold, batch form";
      case "validate-batch-cached" -> "validate, cached leaf, batch form";
      case "profile-single" -> kind + " (under JFR)";
      case "profile-validate-cached" -> "validate, cached leaf (under JFR)";
      default -> kind;
    };
  }

  Map<String, String> find(String scenario, String rate, String storage) {
    for (Map<String, String> r : rows) {
      if (r.get("scenario").equals(scenario)
          && r.get("target_rps").equals(rate)
          && r.get("storage").equals(storage)) {
        return r;
      }
    }
    return null;
  }

  Map<String, String> first(String scenario) {
    for (Map<String, String> r : rows) {
      if (r.get("scenario").equals(scenario)) {
        return r;
      }
    }
    return null;
  }

  static String pair(Map<String, String> r, String what) {
    return r == null ? "not measured" : r.get("p50_ms") + " / " + r.get("p99_ms") + " ms " + what;
  }

  /** A figure of the TSV or the facts; a missing one ("-" or absent) counts as 0. */
  static double number(String s) {
    try {
      return s == null ? 0 : Double.parseDouble(s);
    } catch (NumberFormatException notANumber) {
      return 0;
    }
  }
}
