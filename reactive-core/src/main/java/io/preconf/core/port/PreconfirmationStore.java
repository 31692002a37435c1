package io.preconf.core.port;

import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.commit.PromisedTransaction;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Optional;

/** Durable record of issued preconfirmations. */
public interface PreconfirmationStore {

  /**
   * Records every preconfirmation of one signed commitment, each with its signed transaction, all
   * or none, and completes only once they are durable. Fails with a {@code RejectedException}
   * carrying BACKEND_UNAVAILABLE when the store cannot be written.
   */
  Uni<Void> record(List<PromisedTransaction> issued);

  /** The preconfirmation issued for a transaction, if any. */
  Uni<Optional<Preconfirmation>> find(ChainId chainId, Hash32 txHash);
}
