package io.preconf.core.port;

import io.preconf.core.commit.TrackedPreconfirmation;
import io.preconf.core.finality.RecordedViolation;
import java.util.List;
import java.util.Objects;

/**
 * A stored promise, where it stands and the violations recorded against it, all as of one moment of
 * the store. Read apart, a status and its violations can straddle the block follower recording a
 * violation (both in one transaction) and show a PRECONFIRMED promise with a violation, or a
 * VIOLATED one with none.
 *
 * @param violations oldest first, retracted ones included
 */
public record PromiseSnapshot(TrackedPreconfirmation promise, List<RecordedViolation> violations) {
  public PromiseSnapshot {
    Objects.requireNonNull(promise, "promise");
    violations = List.copyOf(violations);
  }
}
