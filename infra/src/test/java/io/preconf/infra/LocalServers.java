package io.preconf.infra;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile.TestResourceEntry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Starts (or reuses) real Redis and PostgreSQL through {@code infra/scripts/servers.sh} before
 * Quarkus starts, so that {@code mvn test} works on a machine where nothing runs yet, and points
 * the application at them. Leaves them running afterwards for the next run to reuse.
 *
 * <p>Init args {@code redis-port} and {@code pg-port} pick other ports, so that tests which stop
 * servers can have servers of their own. Without them, {@code PRECONF_REDIS_PORT} and {@code
 * PRECONF_PG_PORT} in the environment (as {@code servers.sh} reads them) choose the servers of a
 * whole run, for example one whose schema is ahead of the shared servers'.
 *
 * <p>Init arg {@code stop-after=true} stops them when the test is done: for servers of a test's
 * own, which nobody reuses, and which would otherwise outlive the run (and make the next run on the
 * same machine find servers that are not its script's).
 */
public class LocalServers implements QuarkusTestResourceLifecycleManager {
  private static final Logger LOG = Logger.getLogger(LocalServers.class);
  private int redisPort = defaultPort("PRECONF_REDIS_PORT", 6390);
  private int pgPort = defaultPort("PRECONF_PG_PORT", 5439);
  private boolean stopAfter;

  @Override
  public void init(Map<String, String> args) {
    redisPort = Integer.parseInt(args.getOrDefault("redis-port", Integer.toString(redisPort)));
    pgPort = Integer.parseInt(args.getOrDefault("pg-port", Integer.toString(pgPort)));
    stopAfter = Boolean.parseBoolean(args.getOrDefault("stop-after", "false"));
  }

  private static int defaultPort(String variable, int fallback) {
    String value = System.getenv(variable);
    return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
  }

  @Override
  public Map<String, String> start() {
    int rc = run(redisPort, pgPort, "start");
    if (rc != 0) {
      throw new IllegalStateException("servers.sh start exited with " + rc);
    }
    return Map.of(
        "quarkus.redis.hosts", "redis://127.0.0.1:" + redisPort,
        "quarkus.datasource.reactive.url", "postgresql://127.0.0.1:" + pgPort + "/preconf",
        "quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:" + pgPort + "/preconf");
  }

  @Override
  public void stop() {
    if (stopAfter) {
      int rc = run(redisPort, pgPort, "stop");
      if (rc != 0) {
        LOG.warnf("servers.sh stop exited with %d", rc);
      }
    }
  }

  /**
   * A test profile's servers of its own, on ports no other test uses, stopped when it is done: for
   * a test that stops them or changes their schema.
   */
  public static List<TestResourceEntry> ownServers(int redisPort, int pgPort) {
    return List.of(
        new TestResourceEntry(
            LocalServers.class,
            Map.of(
                "redis-port",
                Integer.toString(redisPort),
                "pg-port",
                Integer.toString(pgPort),
                "stop-after",
                "true")));
  }

  /** Runs {@code servers.sh command} for the given ports; returns its exit code. */
  public static int run(int redisPort, int pgPort, String command) {
    Scripts.Run run =
        Scripts.run(
            "servers.sh",
            Map.of(
                "PRECONF_REDIS_PORT", Integer.toString(redisPort),
                "PRECONF_PG_PORT", Integer.toString(pgPort)),
            Duration.ofSeconds(180),
            command);
    LOG.info(run.output());
    return run.exitCode();
  }
}
