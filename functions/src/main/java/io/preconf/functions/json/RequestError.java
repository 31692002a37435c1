package io.preconf.functions.json;

import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.Rejection;

/** Signals a malformed request body while parsing it; turned into a coded answer. */
public final class RequestError extends RuntimeException {
  private final Rejection rejection;

  public RequestError(ErrorCode code, Reason reason, String message) {
    super(message, null, false, false);
    this.rejection = Rejection.of(code, reason, message);
  }

  public Rejection rejection() {
    return rejection;
  }
}
