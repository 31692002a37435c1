package io.preconf.feed.request;

import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.Rejection;
import org.junit.jupiter.api.Test;

/** Plain unit tests: what each refusal sends, and how it closes. */
class RefusalTest {

  @Test
  void aBadParameterIsAPolicyCloseWithTheRejectionsReason() {
    Refusal r =
        Refusal.of(
            Rejection.of(ErrorCode.VALIDATION_FAILED, Reason.OUT_OF_RANGE, "from must be 1+"));

    assertThat(r.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
    assertThat(r.reason()).isEqualTo(Reason.OUT_OF_RANGE);
    assertThat(r.closeCode()).isEqualTo(Refusal.POLICY_VIOLATION);
    assertThat(r.closeReason()).isEqualTo("OUT_OF_RANGE: from must be 1+");
  }

  @Test
  void limitsAndKeysAreSecurityRefusalsWithReasonsOfTheirOwn() {
    Refusal limit = Refusal.connectionLimit("client address 10.0.0.1 holds its maximum of 8");
    assertThat(limit.reason()).isEqualTo(Reason.CONNECTION_LIMIT);
    assertThat(limit.closeCode()).isEqualTo(Refusal.TRY_AGAIN_LATER);
    assertThat(limit.closeReason())
        .isEqualTo("CONNECTION_LIMIT: client address 10.0.0.1 holds its maximum of 8");

    assertThat(Refusal.unknownApiKey().reason()).isEqualTo(Reason.UNKNOWN_API_KEY);
    assertThat(Refusal.apiKeyRequired().reason()).isEqualTo(Reason.API_KEY_REQUIRED);
    for (Refusal r : new Refusal[] {limit, Refusal.unknownApiKey(), Refusal.apiKeyRequired()}) {
      assertThat(r.code()).isEqualTo(ErrorCode.SECURITY_VALIDATION_FAILED);
    }
    assertThat(Refusal.apiKeyRequired().closeCode()).isEqualTo(Refusal.POLICY_VIOLATION);
  }

  @Test
  void anUnreadableBackendClosesWithInternalErrorAndTheReasonCutToFit() {
    Refusal r = Refusal.backendUnavailable("the feed could not read lane 1; " + "x".repeat(200));

    assertThat(r.code()).isEqualTo(ErrorCode.STORAGE_FAILED);
    assertThat(r.reason()).isEqualTo(Reason.BACKEND_UNAVAILABLE);
    assertThat(r.closeCode()).isEqualTo(Refusal.INTERNAL_ERROR);
    assertThat(r.closeReason())
        .startsWith("BACKEND_UNAVAILABLE: the feed could not read lane 1; ")
        .hasSize(CloseReasons.MAX_BYTES)
        .endsWith("...");
  }
}
