package io.preconf.core.testing;

import io.preconf.core.port.PreconfirmationStore;
import io.preconf.core.port.PreconfirmationStoreContract;
import io.preconf.core.types.ChainId;

/** The in-memory store the engine's tests run on refuses what PostgreSQL's constraints refuse. */
class InMemoryStoreTest extends PreconfirmationStoreContract {
  private final InMemoryStore store = new InMemoryStore();
  private long chains = 167_000;

  @Override
  protected PreconfirmationStore store() {
    return store;
  }

  @Override
  protected ChainId newChain() {
    return ChainId.of(++chains);
  }
}
