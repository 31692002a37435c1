package io.preconf.functions.json;

import io.preconf.core.error.Rejection;

/** A coded error as the wire contract shapes it (spec section 6). */
public record ErrorBody(String code, String reason, String message) {
  public static ErrorBody of(Rejection r) {
    return new ErrorBody(r.code().name(), r.reason().name(), r.message());
  }
}
