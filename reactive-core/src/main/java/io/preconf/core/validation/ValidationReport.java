package io.preconf.core.validation;

import io.preconf.core.error.Rejection;
import java.util.List;

/** The verdict on a preconfirmation: valid when no check failed; every failed check listed. */
public record ValidationReport(List<Rejection> errors) {
  public ValidationReport {
    errors = List.copyOf(errors);
  }

  public boolean valid() {
    return errors.isEmpty();
  }
}
