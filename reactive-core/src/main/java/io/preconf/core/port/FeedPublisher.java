package io.preconf.core.port;

import io.preconf.core.commit.Preconfirmation;
import io.smallrye.mutiny.Uni;
import java.util.List;

/** Appends newly issued preconfirmations to their lanes' feed logs, in lane order. */
public interface FeedPublisher {
  Uni<Void> publish(List<Preconfirmation> issued);
}
