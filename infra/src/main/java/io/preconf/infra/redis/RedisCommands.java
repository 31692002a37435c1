package io.preconf.infra.redis;

import io.preconf.core.error.RejectedException;
import io.preconf.core.error.Rejection;
import io.preconf.core.time.Timeouts;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.time.Duration;
import java.util.List;

/**
 * Sends commands to Redis with a bounded wait. Whatever goes wrong on the way (refused connection,
 * reset, no answer in time) comes back as a {@link RejectedException} with BACKEND_UNAVAILABLE
 * naming the server and the step that failed, never as a hang.
 */
public final class RedisCommands {
  private final Redis redis;
  private final String endpoint;
  private final Duration timeout;

  /**
   * @param endpoint host:port, for messages
   * @param timeout how long one step may wait for Redis
   */
  public RedisCommands(Redis redis, String endpoint, Duration timeout) {
    this.redis = redis;
    this.endpoint = endpoint;
    this.timeout = timeout;
  }

  public String endpoint() {
    return endpoint;
  }

  public Duration timeout() {
    return timeout;
  }

  /** Sends one command; {@code what} names the step in a failure message. */
  public Uni<Response> send(String what, Request request) {
    return bounded(what, redis.send(request));
  }

  /** Sends several commands in one round trip. */
  public Uni<List<Response>> batch(String what, List<Request> requests) {
    return bounded(what, redis.batch(requests));
  }

  /** Runs a script by its SHA-1, loading it once when the server does not know it yet. */
  public Uni<Response> eval(String what, LuaScript script, List<String> keys, List<String> args) {
    Uni<Response> run =
        redis
            .send(scriptRequest(Command.EVALSHA, script.sha1(), keys, args))
            .onFailure(RedisCommands::isNoScript)
            .recoverWithUni(
                () -> redis.send(scriptRequest(Command.EVAL, script.source(), keys, args)));
    return bounded(what, run);
  }

  private <T> Uni<T> bounded(String what, Uni<T> call) {
    return call.ifNoItem()
        .after(timeout)
        .on(Timeouts.scheduler())
        .failWith(
            () ->
                unavailable(
                    what
                        + ": Redis at "
                        + endpoint
                        + " did not answer within "
                        + timeout.toMillis()
                        + " ms",
                    null))
        .onFailure(f -> !(f instanceof RejectedException))
        .transform(
            f -> unavailable(what + ": Redis at " + endpoint + " failed: " + describe(f), f));
  }

  private static RejectedException unavailable(String message, Throwable cause) {
    return new RejectedException(Rejection.backendUnavailable(message), cause);
  }

  private static String describe(Throwable f) {
    String m = f.getMessage();
    return m == null || m.isBlank() ? f.getClass().getSimpleName() : m;
  }

  private static boolean isNoScript(Throwable f) {
    String m = f.getMessage();
    return m != null && m.startsWith("NOSCRIPT");
  }

  private static Request scriptRequest(
      Command command, String script, List<String> keys, List<String> args) {
    Request r = Request.cmd(command).arg(script).arg(keys.size());
    keys.forEach(r::arg);
    args.forEach(r::arg);
    return r;
  }
}
