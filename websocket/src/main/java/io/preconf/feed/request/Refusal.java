package io.preconf.feed.request;

import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.Rejection;

/**
 * Why the feed will not serve a connection: the {@code error} frame it sends first (spec section
 * 7), and the close code and reason that follow.
 *
 * <p>Close codes: 1008 (policy violation) for bad parameters and API keys, 1013 (try again later)
 * for connection limits, 1011 when a replay cannot read its backends.
 */
public record Refusal(ErrorCode code, Reason reason, String message, int closeCode) {
  public static final int POLICY_VIOLATION = 1008;
  public static final int TRY_AGAIN_LATER = 1013;
  public static final int INTERNAL_ERROR = 1011;

  /** A bad request parameter. */
  public static Refusal of(Rejection rejection) {
    return new Refusal(rejection.code(), rejection.reason(), rejection.message(), POLICY_VIOLATION);
  }

  public static Refusal connectionLimit(String message) {
    return new Refusal(
        ErrorCode.SECURITY_VALIDATION_FAILED, Reason.CONNECTION_LIMIT, message, TRY_AGAIN_LATER);
  }

  public static Refusal unknownApiKey() {
    return new Refusal(
        ErrorCode.SECURITY_VALIDATION_FAILED,
        Reason.UNKNOWN_API_KEY,
        "the API key given (X-Api-Key header or apiKey parameter) is not known here",
        POLICY_VIOLATION);
  }

  public static Refusal apiKeyRequired() {
    return new Refusal(
        ErrorCode.SECURITY_VALIDATION_FAILED,
        Reason.API_KEY_REQUIRED,
        "this feed needs an API key: send it in the X-Api-Key header or the apiKey parameter",
        POLICY_VIOLATION);
  }

  /** A replay, or a join, could not read its backends; the message says where to resume. */
  public static Refusal backendUnavailable(String message) {
    return new Refusal(
        ErrorCode.STORAGE_FAILED, Reason.BACKEND_UNAVAILABLE, message, INTERNAL_ERROR);
  }

  /** The close frame's reason: the feed's reason and message, within the 123 bytes allowed. */
  public String closeReason() {
    return CloseReasons.fit(reason.name() + ": " + message);
  }
}
