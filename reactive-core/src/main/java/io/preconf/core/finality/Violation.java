package io.preconf.core.finality;

import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.types.Hash32;
import java.util.Objects;

/**
 * A broken promise, found while reconciling a block.
 *
 * @param preconfirmation the broken promise
 * @param blockHash the block whose arrival showed it; a reorg that orphans this block retracts it
 */
public record Violation(Preconfirmation preconfirmation, Hash32 blockHash, Evidence evidence) {
  public Violation {
    Objects.requireNonNull(preconfirmation, "preconfirmation");
    Objects.requireNonNull(blockHash, "blockHash");
    Objects.requireNonNull(evidence, "evidence");
  }

  public ViolationKind kind() {
    return evidence.kind();
  }

  public String reason() {
    return evidence.reason();
  }
}
