package io.preconf.infra.redis;

import io.preconf.infra.util.BoundedCalls;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.impl.types.ErrorType;
import java.time.Duration;
import java.util.List;

/**
 * Sends commands to Redis, each bounded in time by {@link BoundedCalls}: whatever goes wrong on the
 * way (refused connection, reset, no answer in time) comes back as a {@link
 * io.preconf.core.error.RejectedException} with BACKEND_UNAVAILABLE naming the server and the step
 * that failed, never as a hang.
 */
public final class RedisCommands {
  private final Redis redis;
  private final String endpoint;
  private final BoundedCalls calls;

  /**
   * @param endpoint host:port, for messages
   * @param timeout how long one step may wait for Redis
   */
  public RedisCommands(Redis redis, String endpoint, Duration timeout) {
    this.redis = redis;
    this.endpoint = endpoint;
    this.calls = new BoundedCalls("Redis at " + endpoint, timeout, (what, failure) -> null);
  }

  public String endpoint() {
    return endpoint;
  }

  public Duration timeout() {
    return calls.timeout();
  }

  /** Sends one command; {@code what} names the step in a failure message. */
  public Uni<Response> send(String what, Request request) {
    return calls.bound(what, redis.send(request));
  }

  /** Sends several commands in one round trip. */
  public Uni<List<Response>> batch(String what, List<Request> requests) {
    return calls.bound(what, redis.batch(requests));
  }

  /**
   * Runs a script by its SHA-1, loading it once when the server does not know it yet.
   *
   * @param args each a {@code String}, or a {@code byte[]} sent as it is (binary-safe)
   */
  public Uni<Response> eval(String what, LuaScript script, List<String> keys, List<?> args) {
    Uni<Response> run =
        redis
            .send(scriptRequest(Command.EVALSHA, script.sha1(), keys, args))
            .onFailure(RedisCommands::isNoScript)
            .recoverWithUni(
                () -> redis.send(scriptRequest(Command.EVAL, script.source(), keys, args)));
    return calls.bound(what, run);
  }

  /** Redis's error reply for an unknown script: its kind, the reply's first word, is NOSCRIPT. */
  private static boolean isNoScript(Throwable f) {
    return f instanceof ErrorType reply && reply.is("NOSCRIPT");
  }

  private static Request scriptRequest(
      Command command, String script, List<String> keys, List<?> args) {
    Request r = Request.cmd(command).arg(script).arg(keys.size());
    keys.forEach(r::arg);
    for (Object a : args) {
      if (a instanceof byte[] bytes) {
        r.arg(bytes);
      } else {
        r.arg((String) a);
      }
    }
    return r;
  }
}
