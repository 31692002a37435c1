package io.preconf.core.testing;

import io.preconf.core.port.PreconfirmationStore;
import io.preconf.core.port.PreconfirmationStoreContract;

/** The in-memory store the engine's tests run on refuses what PostgreSQL's constraints refuse. */
class InMemoryStoreTest extends PreconfirmationStoreContract {
  private final InMemoryStore store = new InMemoryStore();

  @Override
  protected PreconfirmationStore store() {
    return store;
  }
}
