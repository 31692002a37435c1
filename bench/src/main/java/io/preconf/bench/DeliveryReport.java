package io.preconf.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes benchmarks/delivery.md for bench/delivery.sh: per transaction, from the instant its
 * preconfirm request was due (the generator's open-loop schedule), to the engine's answer, to the
 * node first announcing it as pending, to the node announcing the block that holds it; p50, p99 and
 * max of each, with the run's facts (key=value lines on standard input) and the CPU the generator
 * measured per process. Text below the notes marker of an existing report is kept.
 *
 * <p>Arguments: {@code out= hashes= times= pending= included= tsv=} (see {@link NodeWatch} and the
 * generator's {@code times} file).
 */
public final class DeliveryReport {
  private DeliveryReport() {}

  record Stage(String name, List<Double> ms, int missing) {}

  public static void main(String[] argv) throws IOException {
    Map<String, String> args = RequestBodies.arguments(argv);
    Path out = Path.of(RequestBodies.required(args, "out"));
    List<String> hashes = Files.readAllLines(Path.of(RequestBodies.required(args, "hashes")));
    Map<String, Long> pending = firstSeen(Path.of(RequestBodies.required(args, "pending")), 1);
    Map<String, Long> included = firstSeen(Path.of(RequestBodies.required(args, "included")), 3);
    Map<String, String> row =
        E2eReport.readTsv(Path.of(RequestBodies.required(args, "tsv"))).get(0);
    Map<String, String> facts = E2eReport.readFacts();

    List<Double> answer = new ArrayList<>();
    List<Double> accepted = new ArrayList<>();
    List<Double> inclusion = new ArrayList<>();
    List<Double> acceptedToIncluded = new ArrayList<>();
    int promised = 0;
    int refused = 0;
    for (String line : Files.readAllLines(Path.of(RequestBodies.required(args, "times")))) {
      String[] f = line.split("\t");
      double due = Double.parseDouble(f[1]);
      answer.add(Double.parseDouble(f[2]) - due);
      if (!f[3].equals("1")) {
        refused++;
        continue;
      }
      promised++;
      String hash = hashes.get(Integer.parseInt(f[0]));
      Long seen = pending.get(hash);
      Long in = included.get(hash);
      if (seen != null) {
        accepted.add(seen - due);
      }
      if (in != null) {
        inclusion.add(in - due);
      }
      if (seen != null && in != null) {
        acceptedToIncluded.add((double) (in - seen));
      }
    }
    List<Stage> stages =
        List.of(
            new Stage("preconfirm -> answered (engine)", answer, 0),
            new Stage(
                "preconfirm -> accepted by the node (pending)",
                accepted,
                promised - accepted.size()),
            new Stage(
                "preconfirm -> included (block announced)", inclusion, promised - inclusion.size()),
            new Stage("accepted -> included", acceptedToIncluded, 0));

    StringBuilder md = new StringBuilder();
    md.append("# Delivery benchmark: preconfirm -> accepted by the node -> included\n\n");
    md.append("Written by `bench/delivery.sh` on ")
        .append(facts.get("written"))
        .append(". Command: `")
        .append(facts.get("command"))
        .append("`.\n\n");
    md.append(
            "An engine (functions and the feed's process with its delivery forwarder, as `bin/engine`"
                + " starts them, Redis and PostgreSQL of its own) serves one rollup whose node is an"
                + " anvil of the benchmark's own, ")
        .append(facts.get("node"))
        .append(
            "; senders are checked on the node (state checks on). The C generator"
                + " (`bench/loadgen`) offers ")
        .append(facts.get("rate"))
        .append(" preconfirm requests per second open loop for ")
        .append(facts.get("seconds"))
        .append(" s (after ")
        .append(facts.get("warmup"))
        .append(" s of warm-up, not reported), one transfer each, from ")
        .append(facts.get("senders"))
        .append(
            " funded senders taken in turn (each sender's nonces in order). Every latency runs from"
                + " the instant the request was due. *Accepted* is the node's own"
                + " `newPendingTransactions` announcement (`bench/src/.../NodeWatch.java`, a push"
                + " subscription on the node's WebSocket: the first moment the node holds it, with no"
                + " polling interval of ours inside the figure); *included* is the `newHeads`"
                + " announcement of the block that holds it.\n\n");
    md.append("| stage | transactions | p50 ms | p99 ms | max ms | not seen |\n");
    md.append("|---|---:|---:|---:|---:|---:|\n");
    for (Stage s : stages) {
      List<Double> v = new ArrayList<>(s.ms());
      v.sort(Double::compare);
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %.1f | %.1f | %.1f | %d |%n",
              s.name(),
              v.size(),
              percentile(v, 50),
              percentile(v, 99),
              v.isEmpty() ? 0 : v.get(v.size() - 1),
              s.missing()));
    }
    md.append(
        String.format(
            Locale.ROOT,
            "%nRequests %s, promised %d, refused or failed %d (%s). Sent %s/s, answered %s/s.%n%n",
            row.get("requests"),
            promised,
            refused,
            row.get("error_kinds"),
            row.get("sent_rps"),
            row.get("achieved_rps")));
    md.append(blocks(Path.of(args.get("included")), new HashSet<>(hashes)));
    md.append("\n## CPU over the sending window\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "Milliseconds of CPU per request: functions %s, feed's process (delivery) %s, Redis %s,"
                + " PostgreSQL %s, generator (C) %s; the machine was %s %% busy. The node watcher"
                + " (Java) used %s ms of CPU in all. %s%n",
            row.get("cpu_ms_per_req_engine"),
            row.get("cpu_ms_per_req_feed"),
            row.get("cpu_ms_per_req_redis"),
            row.get("cpu_ms_per_req_postgres"),
            row.get("cpu_ms_per_req_generator"),
            row.get("machine_busy_pct"),
            facts.get("watch_cpu_ms"),
            facts.get("node_cpu")));
    md.append("\n## Machine and versions\n\n");
    for (String k :
        List.of(
            "machine",
            "load_before",
            "load_after",
            "java",
            "quarkus",
            "redis",
            "postgresql",
            "anvil",
            "gcc",
            "commit")) {
      md.append("- ").append(k).append(": ").append(facts.get(k)).append('\n');
    }
    md.append('\n').append(E2eReport.NOTES_MARKER).append(E2eReport.keptNotes(out));
    Files.writeString(out, md.toString());
  }

  private static String blocks(Path includedFile, Set<String> measured) throws IOException {
    TreeMap<Long, long[]> byBlock = new TreeMap<>(); // number -> {timestamp s, announced ms, txs}
    for (String line : Files.readAllLines(includedFile)) {
      String[] f = line.split("\t");
      if (!measured.contains(f[0])) {
        continue;
      }
      long[] b =
          byBlock.computeIfAbsent(
              Long.parseLong(f[1]),
              n -> new long[] {Long.parseLong(f[2]), Long.parseLong(f[3]), 0});
      b[2]++;
    }
    if (byBlock.size() < 2) {
      return "Blocks: " + byBlock.size() + ".\n";
    }
    List<long[]> b = new ArrayList<>(byBlock.values());
    double seconds = b.get(b.size() - 1)[0] - b.get(0)[0];
    double announced = b.get(b.size() - 1)[1] - b.get(0)[1];
    long most = b.stream().mapToLong(x -> x[2]).max().orElse(0);
    return String.format(
        Locale.ROOT,
        "Blocks holding the benchmark's transactions: %d, one every %.2f s by their timestamps"
            + " (%.0f ms between announcements on average), at most %d transactions in one.%n",
        b.size(),
        seconds / (b.size() - 1),
        announced / (b.size() - 1),
        most);
  }

  /** Column {@code column} of the first line naming each transaction (first column). */
  static Map<String, Long> firstSeen(Path file, int column) throws IOException {
    Map<String, Long> seen = new HashMap<>();
    for (String line : Files.readAllLines(file)) {
      String[] f = line.split("\t");
      seen.putIfAbsent(f[0], Long.parseLong(f[column]));
    }
    return seen;
  }

  /** Nearest-rank percentile of sorted values. */
  static double percentile(List<Double> sorted, double p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }
}
