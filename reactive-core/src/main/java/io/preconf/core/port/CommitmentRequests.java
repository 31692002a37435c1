package io.preconf.core.port;

import io.preconf.core.compat.FabricCommitments;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.smallrye.mutiny.Uni;
import java.util.Optional;

/**
 * The eth-fabric commitment requests the engine promised, by request hash, so that {@code
 * commitmentResult} answers the signed commitment again later, from any process.
 */
public interface CommitmentRequests {

  /** A promised request: which chain's transaction it was for. */
  record Kept(
      Hash32 requestHash, ChainId chainId, Hash32 txHash, FabricCommitments.Request request) {}

  /** Keeps {@code kept}; keeping a request hash already kept changes nothing. */
  Uni<Void> keep(Kept kept);

  Uni<Optional<Kept>> find(Hash32 requestHash);
}
