package io.preconf.core.port;

import io.preconf.core.types.Address;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.smallrye.mutiny.Uni;
import java.util.Optional;
import java.util.OptionalLong;

/** Reads where promises stand, for the status function. */
public interface StatusQuery {

  /**
   * The stored preconfirmation for a transaction, its status and its violations, if one was issued;
   * read together, so that the status and the violations agree.
   */
  Uni<Optional<PromiseSnapshot>> find(ChainId chainId, Hash32 txHash);

  /**
   * The lane sequence once reserved for this transaction and then voided because its record failed,
   * if any: the transaction holds no promise and may be resubmitted.
   */
  Uni<OptionalLong> voidedSequence(ChainId chainId, Hash32 txHash);

  /**
   * The highest nonce among the sender's promises on this chain, whatever their status, if it holds
   * any: a (sender, nonce) is promised once only, so a wallet's next nonce is past it.
   */
  Uni<OptionalLong> highestPromisedNonce(ChainId chainId, Address sender);
}
