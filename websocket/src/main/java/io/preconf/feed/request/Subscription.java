package io.preconf.feed.request;

import io.preconf.core.types.Address;
import io.preconf.core.types.ChainId;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What one connection asked for.
 *
 * @param chains the lanes followed, in the order asked
 * @param senders only preconfirmations (and status changes) of these senders; empty for all
 * @param from replay the single chain's lane from this sequence before going live; empty to start
 *     live
 */
public record Subscription(List<ChainId> chains, Set<Address> senders, OptionalLong from) {
  public Subscription {
    chains = List.copyOf(chains);
    senders = Set.copyOf(senders);
  }

  public boolean wants(Address sender) {
    return senders.isEmpty() || senders.contains(sender);
  }
}
