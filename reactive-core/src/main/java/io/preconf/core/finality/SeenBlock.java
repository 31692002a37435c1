package io.preconf.core.finality;

import java.util.List;
import java.util.Objects;

/**
 * A block already reconciled, and what it did, in the order it did it.
 *
 * @param canonical false once a reorg orphaned it
 */
public record SeenBlock(Block block, boolean canonical, List<StatusEffect> effects) {
  public SeenBlock {
    Objects.requireNonNull(block, "block");
    effects = List.copyOf(effects);
  }
}
