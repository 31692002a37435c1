package io.preconf.infra.redis.snapshot;

/** Where resources register to hear of snapshots and restores. */
public abstract class Context<R extends Resource> implements Resource {
  public abstract void register(R resource);
}
