package io.preconf.core.commit;

import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import java.util.List;

/**
 * One promised transaction: its leaf, the proof that the leaf is under the commitment's root, and
 * the signed commitment. Self-contained: it verifies with no call to the engine.
 *
 * @param id the leaf hash
 */
public record Preconfirmation(Hash32 id, Leaf leaf, List<Hash32> proof, Commitment commitment) {
  public Preconfirmation {
    proof = List.copyOf(proof);
  }

  public ChainId chainId() {
    return leaf.chainId();
  }

  public Hash32 txHash() {
    return leaf.txHash();
  }

  public long sequence() {
    return leaf.sequence();
  }
}
