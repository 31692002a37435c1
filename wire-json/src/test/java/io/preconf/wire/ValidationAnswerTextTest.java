package io.preconf.wire;

import static io.preconf.wire.WireSamples.rejections;
import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.Rejection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The validate answers written as text say byte for byte what their trees say. */
class ValidationAnswerTextTest {

  @Test
  void eachAnswerAndABatchOfThemReadAsTheirTrees() {
    List<List<Rejection>> each = new ArrayList<>();
    each.add(List.of());
    each.add(rejections());
    each.add(
        List.of(
            Rejection.of(
                ErrorCode.INVALID_PRECONFIRMATION,
                Reason.MALFORMED_HEX,
                "sender has a non-hex character '\"' at 3: \"0x1\\\"\u00e9\u2028\"")));
    each.add(List.of());

    for (List<Rejection> errors : each) {
      assertThat(FunctionResponses.validateText(errors))
          .isEqualTo(FunctionResponses.validate(errors).toString());
    }
    assertThat(FunctionResponses.validationsText(each))
        .isEqualTo(FunctionResponses.validations(each).toString());
    assertThat(FunctionResponses.validationsText(List.of()))
        .isEqualTo(FunctionResponses.validations(List.of()).toString())
        .isEqualTo("{\"results\":[]}");
  }
}
