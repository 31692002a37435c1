package io.preconf.infra.util;

import io.preconf.core.error.RejectedException;
import io.preconf.core.error.Rejection;
import io.preconf.core.time.Timeouts;
import io.smallrye.mutiny.Uni;
import java.time.Duration;

/**
 * The calls to one backend server, each bounded in time on the shared deadline scheduler ({@link
 * Timeouts}). Whatever goes wrong on the way (refused connection, reset, no answer in time) comes
 * back as a {@link RejectedException}: the backend's own reading of the failure when it has one (a
 * constraint that refused a write), else BACKEND_UNAVAILABLE naming the server and the step, never
 * as a hang. Redis and PostgreSQL adapters both call through one of these.
 */
public final class BoundedCalls {
  private final String server;
  private final Duration timeout;
  private final Recognizer recognizer;

  /** Tells what a failure means for this backend, when it means more than "unavailable". */
  @FunctionalInterface
  public interface Recognizer {
    /**
     * @param what the step that failed, for the message
     * @return the rejection the failure stands for, or null when it is just a broken backend
     */
    Rejection recognize(String what, Throwable failure);
  }

  /**
   * @param server names the server in messages: "Redis at 127.0.0.1:6390"
   * @param timeout how long one call may wait for it
   */
  public BoundedCalls(String server, Duration timeout, Recognizer recognizer) {
    this.server = server;
    this.timeout = timeout;
    this.recognizer = recognizer;
  }

  public Duration timeout() {
    return timeout;
  }

  /** {@code call}, failing within the timeout; {@code what} names the step in a failure. */
  public <T> Uni<T> bound(String what, Uni<T> call) {
    return call.ifNoItem()
        .after(timeout)
        .on(Timeouts.scheduler())
        .failWith(
            () ->
                new RejectedException(
                    Rejection.backendUnavailable(
                        what
                            + ": "
                            + server
                            + " did not answer within "
                            + timeout.toMillis()
                            + " ms")))
        .onFailure(f -> !(f instanceof RejectedException))
        .transform(f -> new RejectedException(rejection(what, f), f));
  }

  private Rejection rejection(String what, Throwable failure) {
    Rejection known = recognizer.recognize(what, failure);
    return known != null
        ? known
        : Rejection.backendUnavailable(what + ": " + server + " failed: " + describe(failure));
  }

  /** The innermost message the failure carries, else its type. */
  private static String describe(Throwable failure) {
    String message = null;
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        message = t.getMessage();
      }
    }
    return message != null ? message : failure.getClass().getSimpleName();
  }
}
