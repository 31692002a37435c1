package io.preconf.core.types;

import io.preconf.core.error.Reason;
import java.util.Objects;

/**
 * A value from outside (hex, length, range) that cannot be taken. Thrown by the static factories of
 * the value types with the {@link Reason} that names the fault; entry points turn it into a coded
 * rejection with that reason and this message, never by reading the message.
 */
public final class MalformedValueException extends IllegalArgumentException {
  private final Reason reason;

  public MalformedValueException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }
}
