package io.preconf.core.port;

import io.preconf.core.finality.RecordedViolation;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.smallrye.mutiny.Uni;
import java.util.List;

/** Reads the violations recorded against a promise, with their evidence. */
public interface ViolationQuery {

  /** The violations of the promise for this transaction, oldest first, retracted ones included. */
  Uni<List<RecordedViolation>> violations(ChainId chain, Hash32 txHash);
}
