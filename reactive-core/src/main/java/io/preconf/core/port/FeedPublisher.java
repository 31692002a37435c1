package io.preconf.core.port;

import io.preconf.core.commit.PromisedTransaction;
import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * Appends newly issued preconfirmations, with their signed transactions, to their lanes' feed logs,
 * in lane order.
 */
public interface FeedPublisher {
  Uni<Void> publish(List<PromisedTransaction> issued);
}
