package io.preconf.infra.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.preconf.core.error.Reason;
import io.preconf.core.error.RejectedException;
import io.preconf.core.types.Hex;
import io.preconf.infra.LocalServers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Scripts against the real Redis: loaded once when the server does not know them yet. */
@QuarkusTest
@WithTestResource(LocalServers.class)
class RedisCommandsTest {
  private static final Duration AWAIT = Duration.ofSeconds(30);

  @Inject Redis redis;

  /** A script no server has seen, so that EVALSHA is answered NOSCRIPT. */
  private static LuaScript fresh(String body) throws Exception {
    String source = "-- " + UUID.randomUUID() + "\n" + body;
    byte[] sha1 =
        MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
    return new LuaScript("probe", source, Hex.encode(sha1).substring(2));
  }

  @Test
  void aScriptTheServerDoesNotKnowIsSentOnceAndThenRunsByItsHash() throws Exception {
    RedisCommands commands = new RedisCommands(redis, "127.0.0.1:6390", Duration.ofSeconds(5));
    LuaScript script = fresh("return 'ran'");

    assertThat(commands.eval("probing", script, List.of(), List.of()).await().atMost(AWAIT))
        .hasToString("ran");
    assertThat(
            commands
                .send(
                    "asking for the script",
                    Request.cmd(Command.SCRIPT).arg("EXISTS").arg(script.sha1()))
                .await()
                .atMost(AWAIT)
                .get(0)
                .toInteger())
        .isEqualTo(1);
  }

  @Test
  void aScriptThatFailsIsBackendUnavailableNamingTheServerAndTheStep() throws Exception {
    RedisCommands commands = new RedisCommands(redis, "127.0.0.1:6390", Duration.ofSeconds(5));

    assertThatThrownBy(
            () ->
                commands
                    .eval("probing", fresh("return redis.call('NOPE')"), List.of(), List.of())
                    .await()
                    .atMost(AWAIT))
        .isInstanceOfSatisfying(
            RejectedException.class,
            e -> {
              assertThat(e.rejection().reason()).isEqualTo(Reason.BACKEND_UNAVAILABLE);
              assertThat(e.getMessage()).startsWith("probing: Redis at 127.0.0.1:6390 failed: ");
            });
  }
}
