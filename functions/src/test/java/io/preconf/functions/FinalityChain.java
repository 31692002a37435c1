package io.preconf.functions;

import io.preconf.core.types.ChainId;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A rollup served only by the finality tests, so that their blocks (which declare every overdue
 * promise of their chain broken) never touch the promises other tests, or other checkouts sharing
 * the servers, make on the default chains. Fast slots keep waits for a target slot short.
 *
 * <p>The servers keep their data between runs, so block numbers start from the wall clock: every
 * test begins above every block an earlier test or run recorded, as a new start of the chain.
 */
final class FinalityChain {
  static final ChainId GAMMA = ChainId.of(167999);
  static final long GENESIS_MS = 1_735_689_600_000L;
  static final long SLOT_MS = 1_000;
  static final int DEPTH = 3;

  static final Map<String, String> CONFIG =
      Map.of(
          "preconf.rollups[2].chain-id", Long.toString(GAMMA.value()),
          "preconf.rollups[2].name", "finality-test",
          "preconf.rollups[2].genesis-time-ms", Long.toString(GENESIS_MS),
          "preconf.rollups[2].slot-duration-ms", Long.toString(SLOT_MS),
          "preconf.finality.depth", Integer.toString(DEPTH),
          // Heights come from the wall clock (see freshHeight), far apart between tests.
          "preconf.finality.max-ahead", Long.toString(Long.MAX_VALUE / 2));

  private static final SecureRandom RANDOM = new SecureRandom();

  private FinalityChain() {}

  /** Serves {@link #GAMMA} beside the default chains, with finality depth {@link #DEPTH}. */
  public static final class Profile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return CONFIG;
    }
  }

  static long currentSlot() {
    return (System.currentTimeMillis() - GENESIS_MS) / SLOT_MS;
  }

  /**
   * The slot for a test's blocks: the newest a block may claim (one ahead of the clock), so that no
   * test's block lies before a block an earlier test sent (a new start may not go back in slots).
   */
  static long blockSlot() {
    return currentSlot() + 1;
  }

  /** Waits until the chain's current slot is at least {@code slot}. */
  static void awaitSlot(long slot) throws InterruptedException {
    while (currentSlot() < slot) {
      Thread.sleep(50);
    }
  }

  static String randomHash() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return "0x" + HexFormat.of().formatHex(b);
  }

  /** A height above everything recorded so far, for one test's blocks. */
  static long freshHeight() {
    return System.currentTimeMillis() * 10;
  }

  static Map<String, Object> block(
      long number, String hash, String parent, long slot, String... txs) {
    Map<String, Object> b = new HashMap<>();
    b.put("chainId", GAMMA.value());
    b.put("number", number);
    b.put("hash", hash);
    b.put("parentHash", parent);
    b.put("slot", slot);
    b.put("transactions", List.of(txs));
    return b;
  }
}
