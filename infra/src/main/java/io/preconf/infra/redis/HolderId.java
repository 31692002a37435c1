package io.preconf.infra.redis;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * This process's id among lane holders ({@link LaneHolders}), drawn at start and drawn again after
 * every restore from a snapshot. A Lambda restored by SnapStart resumes the memory of the snapshot,
 * id included: without a new draw, every environment restored from one snapshot would answer to one
 * id, and each would take the others' holds for its own.
 *
 * <p>The Lambda runtime calls {@link #afterRestore} of each resource registered with the global
 * context of {@code org.crac}, as a JVM with CRaC does; elsewhere registering does nothing. Quarkus
 * itself fires no event on restore: its start (and so {@code StartupEvent}) ran before the
 * snapshot.
 */
final class HolderId implements Resource {
  private volatile String value = draw();

  private HolderId() {}

  /** A new id, drawn again after each restore for as long as it is reachable. */
  static HolderId drawn() {
    HolderId id = new HolderId();
    // The global context holds its resources weakly: whoever keeps the id keeps the hook.
    Core.getGlobalContext().register(id);
    return id;
  }

  String value() {
    return value;
  }

  @Override
  public void beforeCheckpoint(Context<? extends Resource> context) {}

  @Override
  public void afterRestore(Context<? extends Resource> context) {
    value = draw();
  }

  private static String draw() {
    byte[] random = new byte[8];
    new SecureRandom().nextBytes(random);
    return HexFormat.of().formatHex(random);
  }
}
