package io.preconf.core.engine;

import static io.preconf.core.error.ErrorCode.STORAGE_FAILED;

import io.preconf.core.error.Reason;
import io.preconf.core.error.RejectedException;
import io.preconf.core.error.Rejection;

/** What a leg is told when a port failed under it. */
final class BackendFailures {
  private static final System.Logger LOG = System.getLogger(BackendFailures.class.getName());

  private BackendFailures() {}

  /**
   * The rejection a port failed with, or, for a failure the port did not code (a bug, a broken
   * adapter), BACKEND_UNAVAILABLE naming the port, logged with its cause.
   */
  static Rejection rejection(Throwable failure, String port) {
    if (failure instanceof RejectedException r) {
      return r.rejection();
    }
    LOG.log(System.Logger.Level.ERROR, port + " failed", failure);
    return Rejection.of(
        STORAGE_FAILED,
        Reason.BACKEND_UNAVAILABLE,
        "the "
            + port
            + " failed ("
            + failure.getClass().getSimpleName()
            + "); nothing was promised");
  }
}
