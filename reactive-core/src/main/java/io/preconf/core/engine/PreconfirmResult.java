package io.preconf.core.engine;

import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.error.Rejection;
import java.util.List;

/**
 * What a preconfirm call gave: the preconfirmations (new ones and, for transactions already
 * promised, the existing ones), the refused transactions by index, and a request-level rejection
 * when the request itself could not be taken (then both lists are empty).
 */
public record PreconfirmResult(
    List<Preconfirmation> preconfirmations, List<IndexedRejection> rejected, Rejection error) {

  public PreconfirmResult {
    preconfirmations = List.copyOf(preconfirmations);
    rejected = List.copyOf(rejected);
  }

  public static PreconfirmResult refused(Rejection error) {
    return new PreconfirmResult(List.of(), List.of(), error);
  }
}
