package io.preconf.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.Rejection;
import org.junit.jupiter.api.Test;

class RequestTargetsTest {
  @Test
  void acceptsPathsAndPercentEncodedQueries() {
    assertThat(RequestTargets.malformed("/feed")).isEmpty();
    assertThat(RequestTargets.malformed("/feed?chainId=167000,167001&from=3")).isEmpty();
    assertThat(RequestTargets.malformed("/feed?sender=%30x%41b&apiKey=a%2Bb")).isEmpty();
  }

  @Test
  void namesAnEscapeThatIsNotTwoHexDigits() {
    Rejection r = RequestTargets.malformed("/feed?lane=%zz").orElseThrow();
    assertThat(r.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
    assertThat(r.reason()).isEqualTo(Reason.MALFORMED_REQUEST);
    assertThat(r.message())
        .isEqualTo(
            "the request target \"/feed?lane=%zz\" is not a valid URI: \"%zz\" at index 11 is not"
                + " a percent-escape (% and two hex digits)");
    assertThat(RequestTargets.malformed("/feed?from=%").orElseThrow().message())
        .contains("\"%\" at index 11");
    assertThat(RequestTargets.malformed("/feed?from=1%4").orElseThrow().message())
        .contains("\"%4\" at index 12");
  }

  @Test
  void namesACharacterThatMustBeEncoded() {
    assertThat(RequestTargets.malformed("/feed?sender=0x|1").orElseThrow().message())
        .endsWith("the character '|' at index 15 must be percent-encoded");
  }

  @Test
  void cutsALongTargetShort() {
    String target = "/feed?from=" + "1".repeat(200) + "%";
    String message = RequestTargets.malformed(target).orElseThrow().message();
    assertThat(message)
        .contains("1111...\"")
        .contains("at index 211")
        .hasSizeLessThan(target.length());
  }
}
