package io.preconf.core.port;

import io.preconf.core.commit.StatusChange;
import io.smallrye.mutiny.Uni;
import java.util.List;

/** Appends status changes to their chains' status feeds, in the order given. */
public interface StatusPublisher {
  Uni<Void> publish(List<StatusChange> changes);
}
