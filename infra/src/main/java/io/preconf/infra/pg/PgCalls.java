package io.preconf.infra.pg;

import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.Rejection;
import io.preconf.infra.util.BoundedCalls;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgException;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.hibernate.exception.ConstraintViolationException;

/**
 * How every PostgreSQL call is made. Each runs on a fresh duplicated Vert.x context, so callers may
 * come from any thread (a function's worker, a test) and two calls in flight never share a
 * Hibernate session. Each is bounded in time by {@link BoundedCalls}, and whatever goes wrong comes
 * back as a {@link io.preconf.core.error.RejectedException}: BACKEND_UNAVAILABLE naming the server
 * and the step, or what the constraint that refused a write stands for ({@link #CONSTRAINTS}).
 */
public final class PgCalls {
  private static final String UNIQUE_VIOLATION = "23505";

  /** A constraint of the schema, as PostgreSQL names it when it refuses a write. */
  private record Constraint(String sqlState, String name) {}

  /** What breaking a constraint means to a client. */
  private record Meaning(ErrorCode code, Reason reason) {}

  /**
   * The constraints of V1__preconfirmations.sql that refuse a second promise, by SQLSTATE and name.
   * A second promise for one (chain, sender, nonce) is the client's NONCE_CONFLICT; any other
   * broken constraint is a second write of what is recorded, which the lanes rule out before it
   * gets here: the engine's own error ({@link #OTHER}).
   */
  private static final Map<Constraint, Meaning> CONSTRAINTS =
      Map.of(
          new Constraint(UNIQUE_VIOLATION, "preconfirmations_nonce_unique"),
          new Meaning(ErrorCode.INVALID_TRANSACTION, Reason.NONCE_CONFLICT));

  private static final Meaning OTHER = new Meaning(ErrorCode.STORAGE_FAILED, Reason.INTERNAL_ERROR);

  private final Vertx vertx;
  private final BoundedCalls calls;

  /**
   * @param endpoint host:port/database, for messages
   * @param timeout how long one call may wait for PostgreSQL
   */
  public PgCalls(Vertx vertx, String endpoint, Duration timeout) {
    this.vertx = vertx;
    this.calls = new BoundedCalls("PostgreSQL at " + endpoint, timeout, PgCalls::refusal);
  }

  public Duration timeout() {
    return calls.timeout();
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
    return calls.bound(what, onContext);
  }

  /** The refusal a broken constraint stands for, or null when no constraint refused the call. */
  private static Rejection refusal(String what, Throwable failure) {
    Constraint broken = brokenConstraint(failure);
    if (broken == null) {
      return null;
    }
    Meaning meaning = CONSTRAINTS.getOrDefault(broken, OTHER);
    return Rejection.of(
        meaning.code(),
        meaning.reason(),
        what
            + " conflicts with a recorded preconfirmation ("
            + (broken.name() != null ? broken.name() : "unique constraint")
            + ")");
  }

  /** The unique constraint a failure broke, or null when it is not a constraint violation. */
  private static Constraint brokenConstraint(Throwable f) {
    for (Throwable t = f; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ConstraintViolationException cve) {
        return new Constraint(
            cve.getKind() == ConstraintViolationException.ConstraintKind.UNIQUE
                ? UNIQUE_VIOLATION
                : cve.getSQLState(),
            cve.getConstraintName());
      }
      if (t instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())) {
        return new Constraint(UNIQUE_VIOLATION, pg.getConstraint());
      }
    }
    return null;
  }
}
