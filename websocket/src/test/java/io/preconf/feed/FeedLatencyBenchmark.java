package io.preconf.feed;

import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.commit.PromisedTransaction;
import io.preconf.core.engine.EngineConfig;
import io.preconf.core.port.ClaimGroup;
import io.preconf.core.port.FeedPublisher;
import io.preconf.core.port.ForwardingLanes;
import io.preconf.core.port.LaneOutcome;
import io.preconf.core.port.LaneSequencer;
import io.preconf.core.port.PreconfirmationStore;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Delivery latency of the feed to many subscribers on loopback: not a test, a measurement, run by
 * {@code bench/feed-latency.sh} (excluded from {@code mvn test} by its tag).
 *
 * <p>Subscribers ({@link RawSubscribers}: WebSocket connections to 127.0.0.1 read by two threads of
 * their own in this JVM) follow one lane; the engine preconfirms one transaction at a time at a
 * fixed pace. For every (request, subscriber) it takes two figures: from the preconfirm call to the
 * frame's arrival (what a client waiting for its own promise sees), and from the moment the engine
 * hands the recorded entry to the lane's Redis log to the arrival (the feed's own share, with the
 * append itself). Everything runs on one machine: engine, feed, clients, Redis and PostgreSQL share
 * its cores.
 */
@QuarkusTest
@TestProfile(FeedLatencyBenchmark.Profile.class)
@WithTestResource(FeedServers.class)
@Tag("benchmark")
class FeedLatencyBenchmark extends FeedTestBase {
  private static final Logger LOG = Logger.getLogger(FeedLatencyBenchmark.class);

  /** The feed as deployed, with limits that let one address open a thousand connections. */
  public static class Profile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "preconf.feed.max-connections-per-address", "100000",
          "preconf.feed.buffer-size", "1024",
          "preconf.feed.batch-size", "256",
          "preconf.feed.heartbeat-interval", "15s",
          // The sweeper at its deployed pace: the test profile's 250 ms would cost four times
          // what it costs in production, on the same event loops as the fan-out.
          "preconf.sweeper.interval", "1s",
          "quarkus.log.category.\"io.preconf\".level", "INFO");
    }
  }

  private static final double TARGET_MS = 20;

  /** Threads reading the subscribers' sockets, the subscribers spread evenly over them. */
  private static final int CLIENT_THREADS = 2;

  private static int intProperty(String name, int fallback) {
    return Integer.parseInt(System.getProperty(name, Integer.toString(fallback)));
  }

  @Test
  void measure() throws Exception {
    int subscribers = intProperty("feed.bench.subscribers", 1000);
    int requests = intProperty("feed.bench.requests", 200);
    int warmup = intProperty("feed.bench.warmup", 300);
    int intervalMs = intProperty("feed.bench.interval-ms", 50);
    Path out = Path.of(System.getProperty("feed.bench.out", "target/feed-latency-results.md"));

    StringBuilder samples = new StringBuilder();
    StringBuilder spread = new StringBuilder();
    StringBuilder engineTimes = new StringBuilder();
    StringBuilder target = new StringBuilder();
    StringBuilder cpu = new StringBuilder();
    for (boolean pq : new boolean[] {true, false}) {
      Run run = new Run(subscribers, requests, warmup, intervalMs, pq);
      run.execute();
      samples.append(run.samplesRow());
      spread.append(run.spreadRow());
      engineTimes.append(run.engineRow());
      target.append(run.againstTarget());
      cpu.append(run.cpuRow());
    }
    String report =
        "Every (request, subscriber) pair, in ms:\n\n"
            + "| PQ signatures | subscribers | requests | frame | samples"
            + " | preconfirm → frame p50 | p99 | max | publish → frame p50 | p99 | max"
            + " | out of order or twice |\n"
            + "|---|---|---|---|---|---|---|---|---|---|---|---|\n"
            + samples
            + "\nPer request, the first and the last of the subscribers to get it (publish →"
            + " frame, ms): how long one fan-out takes.\n\n"
            + "| PQ signatures | first p50 | first p99 | last p50 | last p99"
            + " | CPU of this JVM per request | machine busy |\n"
            + "|---|---|---|---|---|---|---|\n"
            + spread
            + "\nThe engine's part of preconfirm → frame (from the call to the append), and its"
            + " two backend steps: the lane claim in Redis and the record in PostgreSQL (ms).\n\n"
            + "| PQ signatures | call → append p50 | p99 | claim p50 | p99 | record p50 | p99 |\n"
            + "|---|---|---|---|---|---|---|\n"
            + engineTimes
            + "\nCPU per request in this JVM, by thread group (ms; JIT and GC threads are not Java"
            + " threads and count only in the total above):\n\n"
            + cpu
            + "\nAgainst the target (p99 under "
            + TARGET_MS
            + " ms):\n\n"
            + target;
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, report, StandardCharsets.UTF_8);
    LOG.infof("wrote %s", out);
  }

  private final class Run {
    final int subscribers;
    final int requests;
    final int warmup;
    final int intervalMs;
    final boolean pq;
    final Map<Long, Long> publishedAt = new ConcurrentHashMap<>();
    final Map<Long, Long> calledAt = new ConcurrentHashMap<>();
    final List<Long> claimNanos = Collections.synchronizedList(new ArrayList<>());
    final List<Long> recordNanos = Collections.synchronizedList(new ArrayList<>());
    long[][] arrivalSeq;
    long[][] arrivalNanos;
    AtomicIntegerArray arrivals;
    int frameBytes;
    long cpuAtStart;
    Map<Long, ThreadCpu> threadsAtStart;
    Map<String, Double> threadCpuMs;
    MachineCpu machineAtStart;
    double cpuPerRequestMs;
    double machineBusy;

    Run(int subscribers, int requests, int warmup, int intervalMs, boolean pq) {
      this.subscribers = subscribers;
      this.requests = requests;
      this.warmup = warmup;
      this.intervalMs = intervalMs;
      this.pq = pq;
    }

    void execute() throws Exception {
      int total = warmup + requests;
      arrivalSeq = new long[subscribers][total];
      arrivalNanos = new long[subscribers][total];
      arrivals = new AtomicIntegerArray(subscribers);
      // The moment the engine hands the recorded preconfirmation to the lane's log. Not the
      // append's acknowledgement: the node's wake-up read and that acknowledgement leave Redis
      // together, and the acknowledgement may wait behind the fan-out on a busy event loop.
      FeedPublisher timed =
          issued ->
              Uni.createFrom()
                  .deferred(
                      () -> {
                        long now = System.nanoTime();
                        issued.forEach(p -> publishedAt.put(p.sequence(), now));
                        return feedLog.publish(issued);
                      });
      // How long the engine's two backend steps take: the lane claim in Redis, the record in
      // PostgreSQL (one request at a time, so the n-th of each belongs to the n-th request).
      LaneSequencer timedLanes =
          new ForwardingLanes(lanes) {
            @Override
            public Uni<List<List<LaneOutcome>>> claimAll(List<ClaimGroup> groups) {
              return timed(claimNanos, () -> super.claimAll(groups));
            }
          };
      PreconfirmationStore timedStore =
          new PreconfirmationStore() {
            @Override
            public Uni<Void> record(List<PromisedTransaction> issued) {
              return timed(recordNanos, () -> store.record(issued));
            }

            @Override
            public Uni<Optional<Preconfirmation>> find(ChainId chainId, Hash32 txHash) {
              return store.find(chainId, txHash);
            }
          };
      TestEngine engine =
          new TestEngine(
              node.chains(),
              timedLanes,
              timedStore,
              timed,
              EngineConfig.defaults().withQuantumSignatures(pq));

      // The subscribers read on threads of their own, as a client program would: their reads do
      // not queue behind the feed's writes on the same event loops.
      RawSubscribers clients = null;
      try {
        clients =
            RawSubscribers.open(
                new InetSocketAddress("127.0.0.1", port()),
                "/feed?chainId=" + alpha,
                subscribers,
                CLIENT_THREADS,
                this::arrived);
        awaitSubscribers(node, subscribers);
        for (int i = 0; i < total; i++) {
          if (i == warmup) {
            cpuAtStart = processCpuNanos();
            threadsAtStart = ThreadCpu.read();
            machineAtStart = MachineCpu.read();
          }
          long slot = System.nanoTime() + intervalMs * 1_000_000L;
          // The wallet's part (a fresh key, a signed transfer) is done before the clock starts.
          String tx = TestEngine.transfer(alpha, TestEngine.randomSender(), 0);
          long start = System.nanoTime();
          Preconfirmation p = engine.preconfirm(List.of(tx)).get(0);
          calledAt.put(p.sequence(), start);
          long wait = slot - System.nanoTime();
          if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
          }
        }
        awaitTrue(
            "every subscriber to get every preconfirmation",
            () -> IntStream.range(0, subscribers).allMatch(s -> arrivals.get(s) >= total));
        cpuPerRequestMs = (processCpuNanos() - cpuAtStart) / 1e6 / requests;
        threadCpuMs = ThreadCpu.msPerGroupSince(threadsAtStart, requests, clients.threadIds());
        machineBusy = MachineCpu.read().busySince(machineAtStart);
      } finally {
        if (clients != null) {
          clients.close();
        }
        awaitTrue("subscribers to close", () -> node.connections() == 0);
      }
    }

    /**
     * Runs on the subscriber's reading thread: notes the time and the sequence, read from the
     * frame's bytes without decoding it to a String (the subscribers share the machine's two cores
     * with the node they measure, so they do as little as a client can).
     */
    private void arrived(int subscriber, int opcode, ByteBuffer payload, long now) {
      if (opcode != TEXT || !startsWith(payload, 0, PRECONFIRMATION)) {
        return;
      }
      // "sequence" comes early in a preconfirmation (spec section 4).
      int found = indexOf(payload, SEQUENCE);
      if (found < 0) {
        throw new IllegalStateException("a preconfirmation frame without \"sequence\"");
      }
      long sequence = 0;
      for (int at = found + SEQUENCE.length;
          at < payload.limit() && isDigit(payload.get(at));
          at++) {
        sequence = sequence * 10 + (payload.get(at) - '0');
      }
      int n = arrivals.get(subscriber);
      if (n < arrivalSeq[subscriber].length) {
        arrivalSeq[subscriber][n] = sequence;
        arrivalNanos[subscriber][n] = now;
        arrivals.set(subscriber, n + 1);
      }
      if (subscriber == 0) {
        frameBytes = payload.remaining();
      }
    }

    private long firstMeasured() {
      return calledAt.keySet().stream().sorted().skip(warmup).findFirst().orElseThrow();
    }

    String samplesRow() {
      long firstMeasured = firstMeasured();
      List<Long> endToEnd = new ArrayList<>();
      List<Long> feedOnly = new ArrayList<>();
      int disorder = 0;
      for (int s = 0; s < subscribers; s++) {
        long last = 0;
        for (int k = 0; k < arrivals.get(s); k++) {
          long seq = arrivalSeq[s][k];
          if (seq <= last) {
            disorder++;
          }
          last = seq;
          if (seq < firstMeasured) {
            continue;
          }
          endToEnd.add(arrivalNanos[s][k] - calledAt.get(seq));
          feedOnly.add(arrivalNanos[s][k] - publishedAt.get(seq));
        }
      }
      endToEnd.sort(null);
      feedOnly.sort(null);
      p99EndToEnd = Double.parseDouble(ms(endToEnd, 0.99));
      p99Feed = Double.parseDouble(ms(feedOnly, 0.99));
      return String.format(
          Locale.ROOT,
          "| %s | %d | %d | %d B | %d | %s | %s | %s | %s | %s | %s | %d |%n",
          label(),
          subscribers,
          requests,
          frameBytes,
          endToEnd.size(),
          ms(endToEnd, 0.50),
          ms(endToEnd, 0.99),
          ms(endToEnd, 1.0),
          ms(feedOnly, 0.50),
          ms(feedOnly, 0.99),
          ms(feedOnly, 1.0),
          disorder);
    }

    private static <T> Uni<T> timed(List<Long> into, Supplier<Uni<T>> call) {
      return Uni.createFrom()
          .deferred(
              () -> {
                long start = System.nanoTime();
                return call.get().invoke(() -> into.add(System.nanoTime() - start));
              });
    }

    /** The engine's share of preconfirm → frame, and its two backend steps, measured requests. */
    String engineRow() {
      List<Long> total = new ArrayList<>();
      for (Map.Entry<Long, Long> e : calledAt.entrySet()) {
        if (e.getKey() >= firstMeasured()) {
          total.add(publishedAt.get(e.getKey()) - e.getValue());
        }
      }
      total.sort(null);
      List<Long> claims = measured(claimNanos);
      List<Long> records = measured(recordNanos);
      return String.format(
          Locale.ROOT,
          "| %s | %s | %s | %s | %s | %s | %s |%n",
          label(),
          ms(total, 0.5),
          ms(total, 0.99),
          ms(claims, 0.5),
          ms(claims, 0.99),
          ms(records, 0.5),
          ms(records, 0.99));
    }

    /** The figures after the warm-up's, sorted. */
    private List<Long> measured(List<Long> perRequest) {
      synchronized (perRequest) {
        return perRequest.stream().skip(warmup).sorted().toList();
      }
    }

    String spreadRow() {
      long firstMeasured = firstMeasured();
      Map<Long, long[]> bySeq = new java.util.HashMap<>();
      for (int s = 0; s < subscribers; s++) {
        for (int k = 0; k < arrivals.get(s); k++) {
          long seq = arrivalSeq[s][k];
          if (seq < firstMeasured) {
            continue;
          }
          long d = arrivalNanos[s][k] - publishedAt.get(seq);
          long[] mm = bySeq.computeIfAbsent(seq, x -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
          mm[0] = Math.min(mm[0], d);
          mm[1] = Math.max(mm[1], d);
        }
      }
      List<Long> firsts = bySeq.values().stream().map(mm -> mm[0]).sorted().toList();
      List<Long> lasts = bySeq.values().stream().map(mm -> mm[1]).sorted().toList();
      return String.format(
          Locale.ROOT,
          "| %s | %s | %s | %s | %s | %.1f ms | %.0f %% |%n",
          label(),
          ms(firsts, 0.5),
          ms(firsts, 0.99),
          ms(lasts, 0.5),
          ms(lasts, 0.99),
          cpuPerRequestMs,
          machineBusy * 100);
    }

    private double p99EndToEnd;
    private double p99Feed;

    String cpuRow() {
      StringBuilder b = new StringBuilder("- PQ signatures " + label() + ":");
      String sep = " ";
      for (Map.Entry<String, Double> e : threadCpuMs.entrySet()) {
        if (e.getValue() >= 0.1) {
          b.append(sep).append(String.format(Locale.ROOT, "%s %.1f", e.getKey(), e.getValue()));
          sep = ", ";
        }
      }
      return b.append(".\n").toString();
    }

    String againstTarget() {
      return String.format(
          Locale.ROOT,
          "- PQ signatures %s: preconfirm → frame p99 %.2f ms (%s), publish → frame p99 %.2f ms"
              + " (%s).%n",
          label(),
          p99EndToEnd,
          verdict(p99EndToEnd),
          p99Feed,
          verdict(p99Feed));
    }

    private String verdict(double p99) {
      return p99 < TARGET_MS
          ? "met"
          : String.format(Locale.ROOT, "missed by %.2f ms", p99 - TARGET_MS);
    }

    private String label() {
      return pq ? "on (as deployed)" : "off";
    }
  }

  /** CPU time per live thread, to tell the node's event loops from the subscribers' and GC. */
  private record ThreadCpu(String name, long nanos) {
    static Map<Long, ThreadCpu> read() {
      java.lang.management.ThreadMXBean mx =
          java.lang.management.ManagementFactory.getThreadMXBean();
      Map<Long, ThreadCpu> out = new java.util.HashMap<>();
      for (java.lang.management.ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
        if (t != null) {
          out.put(
              t.getThreadId(),
              new ThreadCpu(t.getThreadName(), mx.getThreadCpuTime(t.getThreadId())));
        }
      }
      return out;
    }

    /**
     * Milliseconds per request by thread group: the name without its trailing number, except that
     * the subscribers' event loops (which Vert.x names like the node's) are a group of their own.
     */
    static Map<String, Double> msPerGroupSince(
        Map<Long, ThreadCpu> earlier, int requests, Set<Long> subscriberThreads) {
      Map<String, Double> out = new java.util.TreeMap<>();
      read()
          .forEach(
              (id, now) -> {
                ThreadCpu then = earlier.get(id);
                long used = now.nanos - (then == null ? 0 : then.nanos);
                String group =
                    subscriberThreads.contains(id)
                        ? "subscribers' reading threads"
                        : now.name.startsWith("vert.x-eventloop-thread")
                            ? "node's event loops"
                            : now.name.replaceAll("[-#]?\\d+$", "");
                out.merge(group, used / 1e6 / requests, Double::sum);
              });
      return out;
    }
  }

  /** CPU time of this JVM (engine, feed node and subscribers), all threads. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /**
   * The machine's idle time from /proc/stat (idle, iowait and steal), its CPUs and when it was
   * read: how busy all cores were between two reads is their time less the idle. The kernel keeps
   * the idle time by its own clock; the user and system fields are sampled at the clock tick and
   * miss (or overcount) short bursts of work on a mostly idle machine. In USER_HZ ticks, 100 a
   * second on Linux.
   */
  private record MachineCpu(long idleTicks, int cpus, long atNanos) {
    static MachineCpu read() {
      long at = System.nanoTime();
      try {
        long idle = 0;
        int cpus = 0;
        for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
          if (!line.startsWith("cpu")) {
            break;
          }
          if (line.startsWith("cpu ")) {
            String[] f = line.trim().split("\\s+");
            idle = Long.parseLong(f[4]) + Long.parseLong(f[5]) + Long.parseLong(f[8]);
          } else {
            cpus++;
          }
        }
        return new MachineCpu(idle, cpus, at);
      } catch (Exception e) {
        return new MachineCpu(0, 0, at);
      }
    }

    double busySince(MachineCpu earlier) {
      double all = cpus * (atNanos - earlier.atNanos) / 1e9 * 100;
      if (cpus == 0 || cpus != earlier.cpus || all <= 0) {
        return Double.NaN;
      }
      return Math.max(0, 1 - (idleTicks - earlier.idleTicks) / all);
    }
  }

  private static final byte[] PRECONFIRMATION =
      "{\"type\":\"preconfirmation\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SEQUENCE = "\"sequence\":".getBytes(StandardCharsets.US_ASCII);

  private static final int TEXT = 1;

  private static boolean startsWith(ByteBuffer b, int at, byte[] prefix) {
    if (b.limit() < at + prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (b.get(at + i) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /** Where {@code needle} starts in {@code b}, or -1. */
  private static int indexOf(ByteBuffer b, byte[] needle) {
    for (int i = 0; i + needle.length <= b.limit(); i++) {
      if (b.get(i) == needle[0] && startsWith(b, i, needle)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean isDigit(byte b) {
    return b >= '0' && b <= '9';
  }

  private static String ms(List<Long> sorted, double q) {
    int i = (int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1);
    return String.format(Locale.ROOT, "%.2f", sorted.get(Math.max(0, i)) / 1e6);
  }
}
