package io.preconf.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.preconf.core.crypto.EcdsaSigner;
import io.preconf.core.tx.TransactionBuilder;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.HdrHistogram.Histogram;

/**
 * Open-loop load generator for the functions over HTTP (bench/e2e.sh runs it).
 *
 * <p>Every request is signed and serialised before its scenario starts. Requests leave at fixed
 * intervals whatever the engine answers, and each latency is measured from the instant the request
 * was due, not from when it was sent, so a stalled engine shows up in the percentiles instead of
 * quietly slowing the generator down (no coordinated omission). Every scenario is bounded in count
 * and in time and ends by itself.
 *
 * <p>Arguments, key=value: url (only 127.0.0.1 is accepted), pid (the engine process, for CPU and
 * RSS), out (a TSV of the figures), scenarios (comma list of kind:rate:seconds, kinds single,
 * batch, validate; a name starting with "warmup-" runs but is not reported, one starting with
 * "profile-" runs under JFR), jfr (where JFR writes during profile- scenarios), chains.
 */
public final class LoadGen {
  static final int BATCH = 100;
  static final int MAX_IN_FLIGHT = 1024;
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  static final long DRAIN_LIMIT_NS = TimeUnit.SECONDS.toNanos(40);
  static final int KEEP_FOR_VALIDATION = 60_000;

  final String url;
  final long pid;
  final Path out;
  final Path jfr;
  final String storage;
  final List<ChainId> chains = new ArrayList<>();
  final HttpClient http;
  final ObjectMapper json = new ObjectMapper();
  final SecureRandom random = new SecureRandom();
  final List<String> issued = Collections.synchronizedList(new ArrayList<>());
  final List<String> rows = new ArrayList<>();

  /** Walks the issued preconfirmations across validate scenarios, so none is validated twice. */
  int validateCursor;

  String note = "";

  LoadGen(Map<String, String> args) {
    url = args.getOrDefault("url", "http://127.0.0.1:8188");
    if (!URI.create(url).getHost().equals("127.0.0.1")) {
      throw new IllegalArgumentException("the load generator only talks to 127.0.0.1, not " + url);
    }
    pid = Long.parseLong(args.getOrDefault("pid", "0"));
    out = Path.of(args.getOrDefault("out", "target/e2e.tsv"));
    jfr = Path.of(args.getOrDefault("jfr", "target/e2e.jfr")).toAbsolutePath();
    storage = args.getOrDefault("storage", "-");
    for (String c : args.getOrDefault("chains", "167000,167001").split(",")) {
      chains.add(ChainId.of(Long.parseLong(c.trim())));
    }
    http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newFixedThreadPool(2, daemon("http")))
            .build();
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = new LinkedHashMap<>();
    for (String a : argv) {
      int eq = a.indexOf('=');
      args.put(a.substring(0, eq), a.substring(eq + 1));
    }
    LoadGen gen = new LoadGen(args);
    List<Scenario> scenarios = new ArrayList<>();
    for (String s : args.getOrDefault("scenarios", "single:100:10").split(",")) {
      scenarios.add(Scenario.parse(s.trim()));
    }
    gen.run(scenarios);
    System.exit(0);
  }

  record Scenario(String name, String kind, int rate, int seconds) {
    static Scenario parse(String s) {
      String[] p = s.split(":");
      String kind = p[0].replaceFirst("^(warmup|profile)-", "");
      return new Scenario(p[0], kind, Integer.parseInt(p[1]), Integer.parseInt(p[2]));
    }

    int requests() {
      return rate * seconds;
    }

    boolean reported() {
      return !name.startsWith("warmup-");
    }
  }

  void run(List<Scenario> scenarios) throws Exception {
    rows.add(
        String.join(
            "\t",
            "scenario",
            "storage",
            "kind",
            "target_rps",
            "seconds",
            "requests",
            "ok",
            "errors",
            "error_kinds",
            "achieved_rps",
            "p50_ms",
            "p90_ms",
            "p99_ms",
            "p999_ms",
            "max_ms",
            "engine_cpu_cores",
            "engine_cpu_ms_per_req",
            "rss_max_mb",
            "rss_end_mb",
            "heap_used_mb",
            "max_in_flight",
            "engine_cpu_split",
            "note",
            "machine_busy_pct",
            "generator_cores"));
    for (Scenario s : scenarios) {
      note = "";
      List<String> bodies = prepare(s);
      Result r = drive(s, bodies);
      System.out.println(r.summary());
      // Let the engine drain what an overloaded scenario left behind before the next one.
      Thread.sleep(5_000);
      if (s.reported()) {
        String row = r.row(s.kind.equals("validate") ? "-" : storage);
        Files.createDirectories(out.toAbsolutePath().getParent());
        if (Files.exists(out)) {
          Files.writeString(out, row + "\n", java.nio.file.StandardOpenOption.APPEND);
        } else {
          Files.writeString(out, rows.get(0) + "\n" + row + "\n");
        }
      }
    }
  }

  // ------------------------------------------------------------------ request bodies

  List<String> prepare(Scenario s) throws Exception {
    long t0 = System.nanoTime();
    List<String> bodies;
    switch (s.kind) {
      case "single" -> bodies = signed(s.requests(), 1);
      case "batch" -> bodies = signed(s.requests(), BATCH);
      case "validate" -> bodies = validations(s.requests());
      default -> throw new IllegalArgumentException("unknown scenario kind " + s.kind);
    }
    System.out.printf(
        Locale.ROOT,
        "%s: prepared %d requests in %.1f s%n",
        s.name,
        bodies.size(),
        (System.nanoTime() - t0) / 1e9);
    return bodies;
  }

  /** Request bodies of {@code perRequest} transfers each, every one from a fresh random sender. */
  List<String> signed(int requests, int perRequest) throws Exception {
    String[] out = new String[requests];
    Address to = Address.fromHex("to", "0x00000000000000000000000000000000000000aa");
    IntStream.range(0, requests)
        .parallel()
        .forEach(
            i -> {
              StringBuilder b = new StringBuilder(perRequest * 240);
              b.append("{\"transactions\":[");
              for (int j = 0; j < perRequest; j++) {
                if (j > 0) {
                  b.append(',');
                }
                ChainId chain = chains.get((i * perRequest + j) % chains.size());
                String tx =
                    TransactionBuilder.on(chain)
                        .nonce(0)
                        .to(to)
                        .value(BigInteger.ONE)
                        .sign(freshKey())
                        .toHex();
                b.append('"').append(tx).append('"');
              }
              b.append("]}");
              out[i] = b.toString();
            });
    return List.of(out);
  }

  EcdsaSigner freshKey() {
    byte[] key = new byte[32];
    random.nextBytes(key);
    key[0] &= 0x7f; // below the curve order
    key[31] |= 1; // never zero
    return EcdsaSigner.fromPrivateKey(Bytes.wrap(key));
  }

  /** Preconfirmations issued by earlier scenarios, each under its own commitment. */
  List<String> validations(int requests) throws IOException {
    List<String> source;
    synchronized (issued) {
      source = new ArrayList<>(issued);
    }
    if (source.isEmpty()) {
      throw new IllegalStateException("validate needs a single scenario before it");
    }
    List<String> bodies = new ArrayList<>(requests);
    int repeats = 0;
    for (int i = 0; i < requests; i++) {
      if (validateCursor >= source.size()) {
        repeats++;
      }
      String response = source.get(validateCursor++ % source.size());
      JsonNode first = json.readTree(response).get("preconfirmations").get(0);
      bodies.add(first.toString());
    }
    if (repeats > 0) {
      note =
          repeats + " of " + requests + " repeat an earlier validation (verified-commitment cache)";
      System.out.println("validate: " + note);
    } else {
      note = "each validates a distinct commitment";
    }
    return bodies;
  }

  // ------------------------------------------------------------------ driving

  Result drive(Scenario s, List<String> bodies) throws Exception {
    String path = s.kind.equals("validate") ? "/validate" : "/preconfirm";
    URI uri = URI.create(url + path);
    Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(120), 3);
    Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    LongAdder ok = new LongAdder();
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxInFlight = new AtomicInteger();
    AtomicLong lastDone = new AtomicLong();
    CountDownLatch done = new CountDownLatch(bodies.size());
    boolean keep = s.kind.equals("single");
    int expected = s.kind.equals("batch") ? BATCH : 1;
    MemorySampler memory = new MemorySampler(pid);
    memory.start();
    boolean profiling = s.name.startsWith("profile-");
    if (profiling) {
      jcmd("JFR.start", "name=e2e", "settings=profile", "filename=" + jfr);
      // Starting a recording stalls the engine briefly; let that pass before the clock starts.
      Thread.sleep(3_000);
    }
    long cpu0 = engineCpuTicks();
    Map<String, long[]> threads0 = threadCpuTicks();
    long[] machine0 = machineTicks();
    long self0 = selfTicks();
    long period = TimeUnit.SECONDS.toNanos(1) / s.rate;
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
    for (int i = 0; i < bodies.size(); i++) {
      long due = start + i * period;
      long wait;
      while ((wait = due - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      if (inFlight.get() >= MAX_IN_FLIGHT) {
        errors
            .computeIfAbsent("client: over " + MAX_IN_FLIGHT + " in flight", k -> new LongAdder())
            .increment();
        done.countDown();
        continue;
      }
      int now = inFlight.incrementAndGet();
      maxInFlight.accumulateAndGet(now, Math::max);
      HttpRequest request =
          HttpRequest.newBuilder(uri)
              .timeout(REQUEST_TIMEOUT)
              .header("content-type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(bodies.get(i)))
              .build();
      http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
          .whenComplete(
              (response, failure) -> {
                long end = System.nanoTime();
                synchronized (latency) {
                  latency.recordValue(
                      Math.min((end - due) / 1_000, latency.getHighestTrackableValue()));
                }
                lastDone.accumulateAndGet(end, Math::max);
                String problem = problem(response, failure, expected);
                if (problem == null) {
                  ok.increment();
                  if (keep && issued.size() < KEEP_FOR_VALIDATION) {
                    issued.add(response.body());
                  }
                } else {
                  errors.computeIfAbsent(problem, k -> new LongAdder()).increment();
                }
                inFlight.decrementAndGet();
                done.countDown();
              });
    }
    long scheduledEnd = System.nanoTime();
    boolean drained = done.await(DRAIN_LIMIT_NS, TimeUnit.NANOSECONDS);
    long cpu1 = engineCpuTicks();
    Map<String, long[]> threads1 = threadCpuTicks();
    long[] machine1 = machineTicks();
    long self1 = selfTicks();
    if (profiling) {
      jcmd("JFR.stop", "name=e2e");
    }
    memory.stop();
    if (!drained) {
      errors
          .computeIfAbsent("no answer within the drain limit", k -> new LongAdder())
          .add(done.getCount());
    }
    long end = Math.max(lastDone.get(), scheduledEnd);
    return new Result(
        s,
        bodies.size(),
        ok.sum(),
        errors,
        latency,
        (end - start) / 1e9,
        (cpu1 - cpu0) / 100.0,
        memory.maxRssKb,
        memory.rssKb(),
        heapUsedMb(),
        maxInFlight.get(),
        split(threads0, threads1),
        note,
        machine1[1] == machine0[1]
            ? 0
            : 100.0 * (machine1[0] - machine0[0]) / (machine1[1] - machine0[1]),
        (self1 - self0) / 100.0);
  }

  /** Null when the answer is what a healthy engine gives, else a short name for what went wrong. */
  static String problem(HttpResponse<String> response, Throwable failure, int expected) {
    if (failure != null) {
      Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
      return "transport: " + cause.getClass().getSimpleName();
    }
    if (response.statusCode() != 200) {
      return "HTTP " + response.statusCode();
    }
    String body = response.body();
    if (body.startsWith("{\"valid\"")) {
      return body.startsWith("{\"valid\":true") ? null : "invalid: " + reason(body);
    }
    if (body.contains("\"error\":{")) {
      return "refused: " + reason(body);
    }
    if (!body.contains("\"rejected\":[]")) {
      return "rejected: " + reason(body);
    }
    int ids = count(body, "\"commitment\":{");
    return ids == expected ? null : "answered " + ids + " of " + expected;
  }

  static String reason(String body) {
    int at = body.indexOf("\"reason\":\"");
    if (at < 0) {
      return "?";
    }
    int from = at + 10;
    return body.substring(from, body.indexOf('"', from));
  }

  static int count(String s, String what) {
    int n = 0;
    for (int at = s.indexOf(what); at >= 0; at = s.indexOf(what, at + what.length())) {
      n++;
    }
    return n;
  }

  // ------------------------------------------------------------------ the engine process

  long engineCpuTicks() {
    if (pid <= 0) {
      return 0;
    }
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // Fields 14 and 15 of proc(5), utime and stime, in clock ticks (100 per second).
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** CPU ticks of each engine thread (by thread id), with its kind: JIT and GC included. */
  Map<String, long[]> threadCpuTicks() {
    Map<String, long[]> out = new LinkedHashMap<>();
    if (pid <= 0) {
      return out;
    }
    try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path t : (Iterable<Path>) tasks::iterator) {
        try {
          String name = Files.readString(t.resolve("comm")).strip();
          String stat = Files.readString(t.resolve("stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
          out.put(t.getFileName() + " " + group(name), new long[] {ticks});
        } catch (IOException | RuntimeException gone) {
          // the thread ended between listing and reading
        }
      }
    } catch (IOException e) {
      return out;
    }
    return out;
  }

  /** Busy and total jiffies of the whole machine, from /proc/stat. */
  static long[] machineTicks() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < f.length; i++) {
        total += Long.parseLong(f[i]);
      }
      long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
      return new long[] {total - idle, total};
    } catch (IOException | RuntimeException e) {
      return new long[] {0, 0};
    }
  }

  /** This generator's own CPU ticks. */
  static long selfTicks() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  static String group(String thread) {
    if (thread.startsWith("C1 ") || thread.startsWith("C2 ")) {
      return "JIT";
    }
    if (thread.startsWith("GC ") || thread.startsWith("G1 ")) {
      return "GC";
    }
    if (thread.startsWith("vert.x-eventloo")) {
      return "event loops";
    }
    if (thread.startsWith("executor-thread")) {
      return "workers";
    }
    return "other";
  }

  /**
   * "event loops 40%, workers 35%, ..." for the ticks spent between two snapshots: per thread, so a
   * worker that ends or starts in between does not skew its kind.
   */
  static String split(Map<String, long[]> before, Map<String, long[]> after) {
    Map<String, Long> delta = new LinkedHashMap<>();
    long total = 0;
    for (var e : after.entrySet()) {
      long[] was = before.get(e.getKey());
      long d = e.getValue()[0] - (was == null ? 0 : was[0]);
      if (d > 0) {
        String kind = e.getKey().substring(e.getKey().indexOf(' ') + 1);
        delta.merge(kind, d, Long::sum);
        total += d;
      }
    }
    if (total == 0) {
      return "-";
    }
    List<String> parts = new ArrayList<>();
    long all = total;
    delta.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
        .forEach(e -> parts.add(e.getKey() + " " + Math.round(100.0 * e.getValue() / all) + "%"));
    return String.join(", ", parts);
  }

  double heapUsedMb() {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(url + "/q/metrics"))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      double bytes = 0;
      for (String line : r.body().split("\n")) {
        if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
          bytes += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      return bytes / (1024 * 1024);
    } catch (IOException | InterruptedException | RuntimeException e) {
      return -1;
    }
  }

  void jcmd(String... command) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add("jcmd");
    cmd.add(Long.toString(pid));
    Collections.addAll(cmd, command);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String said = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      System.out.println("jcmd " + String.join(" ", command) + " failed: " + said);
    }
  }

  /** Samples the engine's resident set size every 200 ms. */
  static final class MemorySampler {
    final long pid;
    volatile long maxRssKb;
    volatile boolean running = true;
    Thread thread;

    MemorySampler(long pid) {
      this.pid = pid;
    }

    void start() {
      thread =
          daemon("rss")
              .newThread(
                  () -> {
                    while (running) {
                      maxRssKb = Math.max(maxRssKb, rssKb());
                      try {
                        Thread.sleep(200);
                      } catch (InterruptedException e) {
                        return;
                      }
                    }
                  });
      thread.start();
    }

    void stop() throws InterruptedException {
      running = false;
      thread.interrupt();
      thread.join();
      maxRssKb = Math.max(maxRssKb, rssKb());
    }

    long rssKb() {
      if (pid <= 0) {
        return 0;
      }
      try {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
          if (line.startsWith("VmRSS:")) {
            return Long.parseLong(line.replaceAll("[^0-9]", ""));
          }
        }
      } catch (IOException | RuntimeException e) {
        // the process is gone: report what was seen
      }
      return 0;
    }
  }

  record Result(
      Scenario s,
      int requests,
      long ok,
      Map<String, LongAdder> errors,
      Histogram latency,
      double seconds,
      double cpuSeconds,
      long maxRssKb,
      long endRssKb,
      double heapMb,
      int maxInFlight,
      String cpuSplit,
      String note,
      double machineBusyPercent,
      double generatorCpuSeconds) {

    long errorCount() {
      return errors.values().stream().mapToLong(LongAdder::sum).sum();
    }

    String errorKinds() {
      if (errors.isEmpty()) {
        return "-";
      }
      List<String> kinds = new ArrayList<>();
      errors.forEach((k, v) -> kinds.add(k + " x" + v.sum()));
      Collections.sort(kinds);
      return String.join("; ", kinds);
    }

    double ms(double percentile) {
      return latency.getValueAtPercentile(percentile) / 1000.0;
    }

    String row(String storage) {
      return String.join(
          "\t",
          s.name,
          storage,
          s.kind,
          Integer.toString(s.rate),
          Integer.toString(s.seconds),
          Integer.toString(requests),
          Long.toString(ok),
          Long.toString(errorCount()),
          errorKinds(),
          f1(ok / seconds),
          f2(ms(50)),
          f2(ms(90)),
          f2(ms(99)),
          f2(ms(99.9)),
          f2(latency.getMaxValue() / 1000.0),
          f2(cpuSeconds / seconds),
          f3(requests == 0 ? 0 : cpuSeconds * 1000 / requests),
          Long.toString(maxRssKb / 1024),
          Long.toString(endRssKb / 1024),
          Long.toString(Math.round(heapMb)),
          Integer.toString(maxInFlight),
          cpuSplit,
          note.isEmpty() ? "-" : note,
          f1(machineBusyPercent),
          f2(generatorCpuSeconds / seconds));
    }

    String summary() {
      return String.format(
          Locale.ROOT,
          "%s: %d/%d ok, %.1f/s, p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms,"
              + " engine %.2f cores (%s), machine %.0f%% busy, generator %.2f cores, RSS max %d MB,"
              + " errors: %s",
          s.name,
          ok,
          requests,
          ok / seconds,
          ms(50),
          ms(99),
          ms(99.9),
          latency.getMaxValue() / 1000.0,
          cpuSeconds / seconds,
          cpuSplit,
          machineBusyPercent,
          generatorCpuSeconds / seconds,
          maxRssKb / 1024,
          errorKinds());
    }
  }

  static String f1(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  static String f2(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  static String f3(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }

  static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
