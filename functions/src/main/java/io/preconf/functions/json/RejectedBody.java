package io.preconf.functions.json;

import io.preconf.core.engine.IndexedRejection;

/** One refused transaction of a preconfirm request, by its index in the request. */
public record RejectedBody(int index, String code, String reason, String message) {
  public static RejectedBody of(IndexedRejection r) {
    return new RejectedBody(
        r.index(),
        r.rejection().code().name(),
        r.rejection().reason().name(),
        r.rejection().message());
  }
}
