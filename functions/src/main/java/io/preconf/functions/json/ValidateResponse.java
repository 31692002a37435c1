package io.preconf.functions.json;

import io.preconf.core.error.Rejection;
import io.preconf.core.validation.ValidationReport;
import java.util.List;

/** The {@code validate} answer: valid when no check failed; every failed check listed. */
public record ValidateResponse(boolean valid, List<ErrorBody> errors) {

  public static ValidateResponse of(ValidationReport report) {
    return new ValidateResponse(
        report.valid(), report.errors().stream().map(ErrorBody::of).toList());
  }

  public static ValidateResponse invalid(Rejection why) {
    return new ValidateResponse(false, List.of(ErrorBody.of(why)));
  }
}
