package io.preconf.infra;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Starts (or reuses) real Redis and PostgreSQL through {@code infra/scripts/servers.sh} before
 * Quarkus starts, so that {@code mvn test} works on a machine where nothing runs yet, and points
 * the application at them. Leaves them running afterwards for the next run to reuse.
 *
 * <p>Init args {@code redis-port} and {@code pg-port} pick other ports, so that tests which stop
 * servers can have servers of their own.
 */
public class LocalServers implements QuarkusTestResourceLifecycleManager {
  private static final Logger LOG = Logger.getLogger(LocalServers.class);
  private int redisPort = 6390;
  private int pgPort = 5439;

  @Override
  public void init(Map<String, String> args) {
    redisPort = Integer.parseInt(args.getOrDefault("redis-port", "6390"));
    pgPort = Integer.parseInt(args.getOrDefault("pg-port", "5439"));
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
  public void stop() {}

  /** Runs {@code servers.sh command} for the given ports; returns its exit code. */
  public static int run(int redisPort, int pgPort, String command) {
    Path script = script();
    try {
      Path log = Files.createTempFile("servers-", ".log");
      ProcessBuilder pb =
          new ProcessBuilder("bash", script.toString(), command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      pb.environment().put("PRECONF_REDIS_PORT", Integer.toString(redisPort));
      pb.environment().put("PRECONF_PG_PORT", Integer.toString(pgPort));
      Process p = pb.start();
      if (!p.waitFor(180, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("servers.sh " + command + " did not finish in 180 s");
      }
      LOG.info(Files.readString(log, StandardCharsets.UTF_8).strip());
      Files.deleteIfExists(log);
      return p.exitValue();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + script, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** infra/scripts/servers.sh, seen from infra itself or from a sibling module. */
  private static Path script() {
    for (Path p :
        new Path[] {
          Path.of("scripts", "servers.sh"), Path.of("..", "infra", "scripts", "servers.sh")
        }) {
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new IllegalStateException(
        "servers.sh not found from "
            + Path.of("").toAbsolutePath()
            + " (looked in scripts/ and ../infra/scripts/)");
  }
}
