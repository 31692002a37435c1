package io.preconf.core.finality;

import io.preconf.core.commit.Preconfirmation;
import java.util.List;
import java.util.Objects;

/**
 * What a third party needs to check a violation offline, with no call to the engine: the signed
 * preconfirmations (each with its Merkle proof and signed commitment), the blocks that show the
 * breach, where the promised transactions landed, and the rollup's slot clock. {@link
 * EvidenceVerifier} checks it; docs/slashing.md explains how a contract would.
 *
 * @param preconfirmations for {@link ViolationKind#NOT_INCLUDED_BY_TARGET_SLOT} the broken promise;
 *     for {@link ViolationKind#ORDER_REVERSED} the overtaken promise first, then the one included
 *     ahead of it
 * @param blocks the blocks the facts rest on: for a missed slot the first block seen after the
 *     target slot; for an order reversal the block(s) including the two transactions
 * @param inclusions where each promised transaction landed, when it did
 * @param detectedAt unix ms at which the engine found the violation
 */
public record Evidence(
    ViolationKind kind,
    String reason,
    SlotClock rollup,
    List<Preconfirmation> preconfirmations,
    List<Block> blocks,
    List<Inclusion> inclusions,
    long detectedAt) {

  public Evidence {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(rollup, "rollup");
    preconfirmations = List.copyOf(preconfirmations);
    blocks = List.copyOf(blocks);
    inclusions = List.copyOf(inclusions);
  }

  /** The same evidence with one more block, unless a block of that hash is already in it. */
  public Evidence withBlock(Block block) {
    if (blocks.stream().anyMatch(b -> b.hash().equals(block.hash()))) {
      return this;
    }
    List<Block> more = new java.util.ArrayList<>(blocks);
    more.add(block);
    return new Evidence(kind, reason, rollup, preconfirmations, more, inclusions, detectedAt);
  }
}
