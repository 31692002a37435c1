package io.preconf.core.error;

import io.preconf.core.types.ChainId;
import java.util.Collection;
import java.util.Objects;

/**
 * A refusal as a value: a stable code, a narrowing reason and one human sentence that names the
 * value that was wrong.
 */
public record Rejection(ErrorCode code, Reason reason, String message) {
  public Rejection {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
  }

  public static Rejection of(ErrorCode code, Reason reason, String message) {
    return new Rejection(code, reason, message);
  }

  public static Rejection invalidTransaction(Reason reason, String message) {
    return new Rejection(ErrorCode.INVALID_TRANSACTION, reason, message);
  }

  public static Rejection backendUnavailable(String message) {
    return new Rejection(ErrorCode.STORAGE_FAILED, Reason.BACKEND_UNAVAILABLE, message);
  }

  /**
   * A chain this engine does not serve, in the one wording every entry point gives it.
   *
   * @param served the chain ids that are served, listed so that the caller can pick one
   */
  public static Rejection unsupportedChain(
      ErrorCode code, long chainId, Collection<ChainId> served) {
    return new Rejection(
        code,
        Reason.UNSUPPORTED_CHAIN,
        "chain id " + chainId + " is not served by this engine; served chain ids: " + served);
  }
}
