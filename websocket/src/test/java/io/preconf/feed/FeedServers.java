package io.preconf.feed;

import io.preconf.infra.LocalServers;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;

/**
 * Real Redis and PostgreSQL (through infra's {@link LocalServers}), plus two chain ids and a Redis
 * key prefix no earlier run used: the servers keep their data between runs, and lanes are keyed by
 * chain id in PostgreSQL, so fresh chains give fresh lanes that start at sequence 1.
 */
public class FeedServers implements QuarkusTestResourceLifecycleManager {
  private final LocalServers servers = new LocalServers();

  @Override
  public void init(Map<String, String> args) {
    servers.init(args);
  }

  @Override
  public Map<String, String> start() {
    Map<String, String> config = new HashMap<>(servers.start());
    SecureRandom random = new SecureRandom();
    long base = 5_000_000_000L + 2L * random.nextInt(1_000_000_000);
    config.put("preconf.feed.chains", base + "," + (base + 1));
    config.put("preconf.infra.redis.key-prefix", "feedtest-" + Long.toHexString(base) + ":");
    return config;
  }

  @Override
  public void stop() {
    servers.stop();
  }
}
