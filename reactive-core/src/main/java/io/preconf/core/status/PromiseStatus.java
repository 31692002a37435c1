package io.preconf.core.status;

import io.preconf.core.commit.Status;
import io.preconf.core.commit.TrackedPreconfirmation;
import io.preconf.core.error.Rejection;
import io.preconf.core.finality.RecordedViolation;
import java.util.List;
import java.util.OptionalLong;

/** Where the promise for one transaction stands, or why there is none to show. */
public sealed interface PromiseStatus {

  /**
   * @param status the promise's status now (a lapsed promise is EXPIRED)
   * @param violations the violations recorded against it, oldest first, retracted ones included
   */
  record Found(TrackedPreconfirmation promise, Status status, List<RecordedViolation> violations)
      implements PromiseStatus {
    public Found {
      violations = List.copyOf(violations);
    }
  }

  /**
   * @param voidedSequence the lane sequence once reserved for the transaction and voided because
   *     its record failed, if any
   */
  record NotFound(Rejection why, OptionalLong voidedSequence) implements PromiseStatus {
    public static NotFound because(Rejection why) {
      return new NotFound(why, OptionalLong.empty());
    }
  }
}
