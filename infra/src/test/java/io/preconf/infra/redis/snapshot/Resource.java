package io.preconf.infra.redis.snapshot;

/** What a resource implements to hear of a snapshot and a restore. */
public interface Resource {
  void beforeCheckpoint(Context<? extends Resource> context) throws Exception;

  void afterRestore(Context<? extends Resource> context) throws Exception;
}
