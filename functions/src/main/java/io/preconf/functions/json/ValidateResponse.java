package io.preconf.functions.json;

import java.util.List;

/** The {@code validate} answer: valid when no check failed; every failed check listed. */
public record ValidateResponse(boolean valid, List<ErrorBody> errors) {}
