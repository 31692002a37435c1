package io.preconf.core.pull;

import io.preconf.core.types.ChainId;
import java.util.List;

/**
 * What a {@code lane} call answers: entries in lane order, and the cursor to pass as {@code from}
 * for the ones after them.
 */
public record LanePage(ChainId chainId, List<PulledEntry> entries, long next) {
  public LanePage {
    entries = List.copyOf(entries);
  }
}
