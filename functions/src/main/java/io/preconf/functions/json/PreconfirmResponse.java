package io.preconf.functions.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.preconf.core.wire.WirePreconfirmation;
import java.util.List;

/**
 * The {@code preconfirm} answer: preconfirmations in request order, refused transactions by index,
 * and {@code error} only when the request as a whole could not be taken.
 */
public record PreconfirmResponse(
    List<WirePreconfirmation> preconfirmations,
    List<RejectedBody> rejected,
    @JsonInclude(JsonInclude.Include.NON_NULL) ErrorBody error) {}
