package io.preconf.core.engine;

import io.preconf.core.error.Rejection;

/** A refused transaction, by its position in the request. */
public record IndexedRejection(int index, Rejection rejection) {}
