package io.preconf.functions.rpc;

import io.preconf.core.node.RollupNode;
import io.preconf.core.types.ChainId;
import java.util.Map;
import java.util.Optional;

/** The node of each served rollup whose JSON-RPC URL is configured; reads are answered by it. */
public record RollupNodes(Map<ChainId, RollupNode> byChain) {
  public RollupNodes {
    byChain = Map.copyOf(byChain);
  }

  public Optional<RollupNode> of(ChainId chain) {
    return Optional.ofNullable(byChain.get(chain));
  }
}
