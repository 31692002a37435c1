package io.preconf.infra;

import io.preconf.core.commit.Commitment;
import io.preconf.core.commit.Leaf;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.commit.PromisedTransaction;
import io.preconf.core.testing.Samples;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.preconf.infra.pg.PgCalls;
import io.preconf.infra.pg.PgPreconfirmations;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * PostgreSQL's CPU per {@link PgPreconfirmations#record} call: rounds of one preconfirmation (a
 * round at 500/s) and of 100 (a batch), recorded one after another on a pool with the prepared
 * statement cache on or off, against a PostgreSQL of the caller's own whose postmaster (and
 * backends) this reads the CPU of from {@code /proc}, as bench/loadgen does.
 *
 * <p>Off unless {@code -Dbench.record.port=PORT} and {@code -Dbench.record.pid=POSTMASTER_PID} are
 * given; {@code bench.record.cache} (true/false), {@code bench.record.rounds} and {@code
 * bench.record.legs} (comma-separated) choose the rest. It migrates the database it is given, so it
 * is given servers of its own, never the shared ones:
 *
 * <pre>
 * PRECONF_PG_PORT=5292 PRECONF_REDIS_PORT=6292 PRECONF_RUN_DIR=.run/own infra/scripts/servers.sh start
 * ./mvnw -B -o -q -pl infra -am test -Dtest=RecordCpuBench -Dsurefire.failIfNoSpecifiedTests=false \
 *   -Dbench.record.port=5292 -Dbench.record.pid=$(head -1 .run/own/pg-5292/data/postmaster.pid) \
 *   -Dbench.record.cache=true
 * </pre>
 */
@EnabledIfSystemProperty(named = "bench.record.port", matches = "\\d+")
class RecordCpuBench {
  private static final long TICKS_PER_SECOND = 100;

  @Test
  void postgresCpuPerRecord() throws Exception {
    int port = Integer.getInteger("bench.record.port");
    int postmaster = Integer.getInteger("bench.record.pid");
    boolean cache = Boolean.getBoolean("bench.record.cache");
    int rounds = Integer.getInteger("bench.record.rounds", 2000);
    String legsList = System.getProperty("bench.record.legs", "1,100");
    Flyway.configure()
        .dataSource("jdbc:postgresql://127.0.0.1:" + port + "/preconf", "postgres", "postgres")
        .load()
        .migrate();
    Vertx vertx = Vertx.vertx();
    PgPool pool =
        PgPool.pool(
            vertx,
            new PgConnectOptions()
                .setHost("127.0.0.1")
                .setPort(port)
                .setDatabase("preconf")
                .setUser("postgres")
                .setPassword("postgres")
                .setCachePreparedStatements(cache),
            new PoolOptions().setMaxSize(1));
    PgPreconfirmations pg =
        new PgPreconfirmations(
            null, pool, new PgCalls(vertx.getDelegate(), "bench", Duration.ofSeconds(30)));
    try {
      for (String l : legsList.split(",")) {
        int legs = Integer.parseInt(l.trim());
        int n = legs == 1 ? rounds : Math.max(20, rounds / 20);
        ChainId chain = Samples.uniqueChain();
        long[] next = {1};
        // Warm: the pool's connection open, the backend's catalog caches filled.
        for (int i = 0; i < 50; i++) {
          pg.record(round(chain, next, legs)).await().atMost(Duration.ofSeconds(30));
        }
        List<List<PromisedTransaction>> staged = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          staged.add(round(chain, next, legs));
        }
        long before = ticks(postmaster);
        long t0 = System.nanoTime();
        for (List<PromisedTransaction> r : staged) {
          pg.record(r).await().atMost(Duration.ofSeconds(30));
        }
        long wallNs = System.nanoTime() - t0;
        long used = ticks(postmaster) - before;
        System.out.printf(
            "RECORD cache=%s legs=%d rounds=%d pg_cpu_ms_per_round=%.3f wall_ms_per_round=%.3f"
                + " load=%s%n",
            cache,
            legs,
            n,
            used * 1000.0 / TICKS_PER_SECOND / n,
            wallNs / 1e6 / n,
            Files.readString(Path.of("/proc/loadavg")).trim());
      }
    } finally {
      pool.closeAndAwait();
      vertx.closeAndAwait();
    }
  }

  /**
   * One round as the engine records it: {@code legs} preconfirmations of consecutive positions
   * under one commitment with an ECDSA and an ML-DSA-65 signature, each with its proof.
   */
  private static List<PromisedTransaction> round(ChainId chain, long[] next, int legs) {
    int depth = 0;
    while ((1 << depth) < legs) {
      depth++;
    }
    long now = System.currentTimeMillis();
    Commitment c =
        new Commitment(
            Samples.randomHash(),
            now,
            now + 3_600_000,
            false,
            Samples.randomAddress(),
            random(65),
            random(3309));
    List<PromisedTransaction> out = new ArrayList<>(legs);
    for (int i = 0; i < legs; i++) {
      long seq = next[0]++;
      Leaf leaf =
          new Leaf(
              chain,
              Samples.randomHash(),
              Samples.randomAddress(),
              0,
              seq,
              Samples.randomHash(),
              now,
              Samples.SLOT);
      List<Hash32> proof = new ArrayList<>();
      for (int d = 0; d < depth; d++) {
        proof.add(Samples.randomHash());
      }
      out.add(
          new PromisedTransaction(
              new Preconfirmation(Samples.randomHash(), leaf, proof, c), random(115)));
    }
    return out;
  }

  private static Bytes random(int n) {
    byte[] b = new byte[n];
    ThreadLocalRandom.current().nextBytes(b);
    return Bytes.wrap(b);
  }

  /** utime + stime of the postmaster, of its live children and of those it has reaped. */
  private static long ticks(int postmaster) throws IOException {
    long total = fields(postmaster, true);
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.toList()) {
        String name = p.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        String[] f = stat(Integer.parseInt(name));
        if (f != null && Integer.parseInt(f[1]) == postmaster) {
          total += Long.parseLong(f[11]) + Long.parseLong(f[12]);
        }
      }
    }
    return total;
  }

  private static long fields(int pid, boolean reaped) throws IOException {
    String[] f = stat(pid);
    long t = Long.parseLong(f[11]) + Long.parseLong(f[12]);
    return reaped ? t + Long.parseLong(f[13]) + Long.parseLong(f[14]) : t;
  }

  /** /proc/PID/stat's fields from the state on (index 0 = state, 1 = ppid, 11 = utime). */
  private static String[] stat(int pid) {
    try {
      String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return s.substring(s.lastIndexOf(')') + 2).split(" ");
    } catch (IOException e) {
      return null;
    }
  }
}
