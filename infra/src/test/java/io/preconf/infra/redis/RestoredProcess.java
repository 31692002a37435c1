package io.preconf.infra.redis;

/**
 * A process that draws its holder id, is snapshotted and restored twice through {@code org.crac}
 * (as a Lambda is, once per environment restored from one snapshot), and prints the id it had at
 * each point: before the snapshot, after the first restore, after the second.
 */
final class RestoredProcess {
  private RestoredProcess() {}

  public static void main(String[] args) throws Exception {
    HolderId id = HolderId.drawn();
    String snapshot = id.value();
    // Only a weak reference registers the hook: it must survive a collection while the id lives.
    System.gc();
    org.crac.Core.checkpointRestore();
    String first = id.value();
    org.crac.Core.checkpointRestore();
    String second = id.value();
    System.out.println(snapshot + " " + first + " " + second);
  }
}
