package io.preconf.functions.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.preconf.core.engine.PreconfirmResult;
import io.preconf.core.error.Rejection;
import io.preconf.core.wire.WireCodec;
import io.preconf.core.wire.WirePreconfirmation;
import java.util.List;

/**
 * The {@code preconfirm} answer: preconfirmations in request order, refused transactions by index,
 * and {@code error} only when the request as a whole could not be taken.
 */
public record PreconfirmResponse(
    List<WirePreconfirmation> preconfirmations,
    List<RejectedBody> rejected,
    @JsonInclude(JsonInclude.Include.NON_NULL) ErrorBody error) {

  public static PreconfirmResponse of(PreconfirmResult r) {
    return new PreconfirmResponse(
        r.preconfirmations().stream().map(WireCodec::toWire).toList(),
        r.rejected().stream().map(RejectedBody::of).toList(),
        r.error() == null ? null : ErrorBody.of(r.error()));
  }

  public static PreconfirmResponse refused(Rejection why) {
    return new PreconfirmResponse(List.of(), List.of(), ErrorBody.of(why));
  }
}
