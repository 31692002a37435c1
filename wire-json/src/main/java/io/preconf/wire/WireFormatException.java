package io.preconf.wire;

import io.preconf.core.error.Rejection;

/**
 * JSON the wire contract does not allow, carried as the coded rejection that answers it: the error
 * code of the place that read it, the reason, and a message naming the field and the value.
 */
public final class WireFormatException extends RuntimeException {
  private final Rejection rejection;

  public WireFormatException(Rejection rejection) {
    super(rejection.message(), null, false, false);
    this.rejection = rejection;
  }

  public Rejection rejection() {
    return rejection;
  }
}
