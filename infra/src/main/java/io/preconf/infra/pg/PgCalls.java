package io.preconf.infra.pg;

import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.RejectedException;
import io.preconf.core.error.Rejection;
import io.preconf.core.time.Timeouts;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * How every PostgreSQL call is made. Each runs on a fresh duplicated Vert.x context, so callers may
 * come from any thread (a function's worker, a test) and two calls in flight never share a
 * Hibernate session. Each is bounded in time, and whatever goes wrong comes back as a {@link
 * RejectedException}: BACKEND_UNAVAILABLE naming the server and the step, or a conflict naming the
 * unique constraint that refused a second promise.
 */
public final class PgCalls {
  private final Vertx vertx;
  private final String endpoint;
  private final Duration timeout;

  /**
   * @param endpoint host:port/database, for messages
   * @param timeout how long one call may wait for PostgreSQL
   */
  public PgCalls(Vertx vertx, String endpoint, Duration timeout) {
    this.vertx = vertx;
    this.endpoint = endpoint;
    this.timeout = timeout;
  }

  public Duration timeout() {
    return timeout;
  }

  public <T> Uni<T> call(String what, Supplier<Uni<T>> work) {
    Uni<T> onContext =
        Uni.createFrom()
            .emitter(
                em -> {
                  Context ctx = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
                  // Hibernate Reactive keeps its session in the context; marking it safe says
                  // nothing else shares this one.
                  VertxContextSafetyToggle.setContextSafe(ctx, true);
                  ctx.runOnContext(
                      ignored -> {
                        try {
                          work.get().subscribe().with(em::complete, em::fail);
                        } catch (RuntimeException e) {
                          em.fail(e);
                        }
                      });
                });
    return onContext
        .ifNoItem()
        .after(timeout)
        .on(Timeouts.scheduler())
        .failWith(
            () ->
                new RejectedException(
                    Rejection.backendUnavailable(
                        what
                            + ": PostgreSQL at "
                            + endpoint
                            + " did not answer within "
                            + timeout.toMillis()
                            + " ms")))
        .onFailure(f -> !(f instanceof RejectedException))
        .transform(f -> failure(what, f));
  }

  private RejectedException failure(String what, Throwable f) {
    String constraint = violatedConstraint(f);
    if (constraint != null) {
      String message = what + " conflicts with a recorded preconfirmation (" + constraint + ")";
      return new RejectedException(
          constraint.contains("nonce")
              ? Rejection.invalidTransaction(Reason.NONCE_CONFLICT, message)
              : Rejection.of(ErrorCode.STORAGE_FAILED, Reason.INTERNAL_ERROR, message),
          f);
    }
    return new RejectedException(
        Rejection.backendUnavailable(
            what + ": PostgreSQL at " + endpoint + " failed: " + rootMessage(f)),
        f);
  }

  /** The unique constraint a failure broke, or null when it is not a constraint violation. */
  private static String violatedConstraint(Throwable f) {
    for (Throwable t = f; t != null; t = t.getCause()) {
      if (t instanceof org.hibernate.exception.ConstraintViolationException cve) {
        return cve.getConstraintName() != null ? cve.getConstraintName() : "unique constraint";
      }
      if (t instanceof io.vertx.pgclient.PgException pg && "23505".equals(pg.getSqlState())) {
        return pg.getConstraint() != null ? pg.getConstraint() : "unique constraint";
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  private static String rootMessage(Throwable f) {
    Throwable t = f;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
  }
}
