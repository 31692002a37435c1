package io.preconf.core.error;

/**
 * Carries a {@link Rejection} through a reactive failure channel, for the few places where a
 * rejection is discovered by a port (a lane refusing a leg, a backend going away) rather than by a
 * guard clause. Entry points unwrap it back into a value.
 */
public final class RejectedException extends RuntimeException {
  private final Rejection rejection;

  public RejectedException(Rejection rejection) {
    super(rejection.message(), null, false, false);
    this.rejection = rejection;
  }

  public RejectedException(Rejection rejection, Throwable cause) {
    super(rejection.message(), cause, false, false);
    this.rejection = rejection;
  }

  public Rejection rejection() {
    return rejection;
  }
}
