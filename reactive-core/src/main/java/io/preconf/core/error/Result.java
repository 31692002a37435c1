package io.preconf.core.error;

import java.util.function.Function;

/**
 * Either a value or a {@link Rejection}: how guard clauses, decoders and validators answer, so that
 * a bad transaction is a value and never an exception.
 */
public sealed interface Result<T> {

  record Ok<T>(T value) implements Result<T> {}

  record Err<T>(Rejection rejection) implements Result<T> {}

  static <T> Result<T> ok(T value) {
    return new Ok<>(value);
  }

  static <T> Result<T> err(Rejection rejection) {
    return new Err<>(rejection);
  }

  static <T> Result<T> err(ErrorCode code, Reason reason, String message) {
    return new Err<>(new Rejection(code, reason, message));
  }

  default boolean isOk() {
    return this instanceof Ok;
  }

  /** The value; only call after {@link #isOk()}. */
  default T value() {
    if (this instanceof Ok<T> ok) {
      return ok.value();
    }
    throw new IllegalStateException("no value: " + rejection());
  }

  /** The rejection; only call when not {@link #isOk()}. */
  default Rejection rejection() {
    if (this instanceof Err<T> err) {
      return err.rejection();
    }
    throw new IllegalStateException("not rejected");
  }

  default <U> Result<U> map(Function<? super T, ? extends U> f) {
    return this instanceof Ok<T> ok ? new Ok<>(f.apply(ok.value())) : new Err<>(rejection());
  }

  default <U> Result<U> flatMap(Function<? super T, Result<U>> f) {
    return this instanceof Ok<T> ok ? f.apply(ok.value()) : new Err<>(rejection());
  }

  /** {@code ok} applied to the value, or {@code err} to the rejection. */
  default <U> U fold(
      Function<? super T, ? extends U> ok, Function<? super Rejection, ? extends U> err) {
    return this instanceof Ok<T> o ? ok.apply(o.value()) : err.apply(rejection());
  }
}
