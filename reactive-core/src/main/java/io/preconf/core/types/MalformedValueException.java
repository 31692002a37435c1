package io.preconf.core.types;

/**
 * A value from outside (hex, length, range) that cannot be taken. Thrown by the static factories of
 * the value types; entry points turn it into a coded rejection whose message is this one.
 */
public final class MalformedValueException extends IllegalArgumentException {
  public MalformedValueException(String message) {
    super(message);
  }
}
