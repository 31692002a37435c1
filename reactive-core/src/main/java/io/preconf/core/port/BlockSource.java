package io.preconf.core.port;

import io.preconf.core.wire.WireBlock;
import io.smallrye.mutiny.Uni;
import java.util.Optional;
import java.util.OptionalLong;

/** A rollup node's view of its chain, as JSON-RPC gives it. */
public interface BlockSource {

  /** The number of the node's newest block ({@code eth_blockNumber}). */
  Uni<OptionalLong> latest();

  /** Block {@code number} of the node's canonical chain, or empty when it has none yet. */
  Uni<Optional<WireBlock>> byNumber(long number);
}
