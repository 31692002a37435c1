package io.preconf.core.finality;

import io.preconf.core.commit.Finality;
import io.preconf.core.types.Hash32;
import java.util.Objects;

/**
 * A promised transaction found in a block: the block and its position there.
 *
 * @param where block number, block hash and index of the transaction in the block
 */
public record Inclusion(Hash32 txHash, Finality where) implements Comparable<Inclusion> {
  public Inclusion {
    Objects.requireNonNull(txHash, "txHash");
    Objects.requireNonNull(where, "where");
  }

  /** Chain order: by block number, then by index within the block. */
  @Override
  public int compareTo(Inclusion o) {
    return before(where, o.where);
  }

  static int before(Finality a, Finality b) {
    int byBlock = Long.compare(a.blockNumber(), b.blockNumber());
    return byBlock != 0 ? byBlock : Integer.compare(a.index(), b.index());
  }
}
