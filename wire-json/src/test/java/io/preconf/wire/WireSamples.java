package io.preconf.wire;

import io.preconf.core.commit.Commitment;
import io.preconf.core.commit.Finality;
import io.preconf.core.commit.Leaf;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.commit.Status;
import io.preconf.core.commit.StatusChange;
import io.preconf.core.commit.TrackedPreconfirmation;
import io.preconf.core.engine.IndexedRejection;
import io.preconf.core.engine.PreconfirmResult;
import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.Rejection;
import io.preconf.core.finality.Block;
import io.preconf.core.finality.Evidence;
import io.preconf.core.finality.Inclusion;
import io.preconf.core.finality.RecordedViolation;
import io.preconf.core.finality.Reorg;
import io.preconf.core.finality.SlotClock;
import io.preconf.core.finality.Violation;
import io.preconf.core.finality.ViolationKind;
import io.preconf.core.reconcile.ReconcileResult;
import io.preconf.core.rollup.RollupConfig;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import java.util.List;

/**
 * Fixed values of every shape the wire contract names, built without keys or clocks so that the
 * same values come out on any run. The golden files under {@code src/test/resources/golden} are
 * these values as the engine wrote them before its encoders were gathered here.
 */
public final class WireSamples {
  public static final ChainId ALPHA = ChainId.of(167000);
  public static final ChainId BETA = ChainId.of(167001);
  public static final long NOW = 1_764_000_000_123L;
  public static final long MAX_SAFE = (1L << 53) - 1;

  private WireSamples() {}

  /** A 32-byte value that differs from every other {@code n}. */
  public static Hash32 hash(int n) {
    byte[] b = new byte[32];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (n * 31 + i * 7);
    }
    return Hash32.wrap(b);
  }

  public static Address address(int n) {
    byte[] b = new byte[20];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (n * 17 + i * 13);
    }
    return Address.wrap(b);
  }

  public static Bytes bytes(int n, int length) {
    byte[] b = new byte[length];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (n * 11 + i * 5);
    }
    return Bytes.wrap(b);
  }

  static Commitment commitment(Hash32 root, boolean atomic, boolean pq) {
    return new Commitment(
        root, NOW + 2, NOW + 3_600_002, atomic, address(1), bytes(2, 65), pq ? bytes(3, 48) : null);
  }

  /** One transaction alone under its root, signed without post-quantum signing. */
  public static Preconfirmation single() {
    Leaf leaf = new Leaf(ALPHA, hash(10), address(2), 7, 1042, hash(11), NOW, 882_001);
    return new Preconfirmation(hash(12), leaf, List.of(), commitment(hash(12), false, false));
  }

  /** The same shape with an ML-DSA co-signature and numbers at the 53-bit edge. */
  public static Preconfirmation singleWithPq() {
    Leaf leaf = new Leaf(BETA, hash(20), address(3), MAX_SAFE, 1, Hash32.ZERO, 0, MAX_SAFE);
    return new Preconfirmation(hash(21), leaf, List.of(), commitment(hash(21), false, true));
  }

  /** An atomic cross-rollup bundle: two leaves, each with a one-hash proof under one root. */
  public static List<Preconfirmation> batch(boolean pq) {
    Hash32 root = hash(30);
    Commitment c = commitment(root, true, pq);
    Preconfirmation a =
        new Preconfirmation(
            hash(31),
            new Leaf(ALPHA, hash(32), address(4), 0, 1043, hash(10), NOW + 1, 882_002),
            List.of(hash(33)),
            c);
    Preconfirmation b =
        new Preconfirmation(
            hash(33),
            new Leaf(BETA, hash(34), address(4), 1, 2, hash(20), NOW + 1, 147_001),
            List.of(hash(31)),
            c);
    return List.of(a, b);
  }

  public static Finality finality() {
    return new Finality(1_234_567, hash(40), 3);
  }

  /** Status changes as reconciliation makes them: with and without finality and reason. */
  public static List<StatusChange> statusChanges() {
    Preconfirmation p = single();
    return List.of(
        new StatusChange(ALPHA, p.txHash(), 1042, Status.INCLUDED, finality(), null, NOW + 10),
        new StatusChange(
            ALPHA, p.txHash(), 1042, Status.FINALIZED, finality(), "depth 64 reached", NOW + 20),
        new StatusChange(
            ALPHA,
            p.txHash(),
            1042,
            Status.VIOLATED,
            null,
            "NOT_INCLUDED_BY_TARGET_SLOT: \"slot\" 882001 ended … unmet\n",
            NOW + 30),
        new StatusChange(
            BETA, hash(20), 1, Status.PRECONFIRMED, null, "reorg at height 9", NOW + 40));
  }

  public static SlotClock slotClock() {
    return new SlotClock(ALPHA, 1_735_689_600_000L, 2_000);
  }

  public static Block block(int n, long number, List<Hash32> txs) {
    return new Block(ALPHA, number, hash(n), hash(n + 1), 882_000 + number, txs);
  }

  /** Evidence of each kind of violation. */
  public static List<Evidence> evidence() {
    Preconfirmation missed = single();
    List<Preconfirmation> reversed = batch(true);
    return List.of(
        new Evidence(
            ViolationKind.NOT_INCLUDED_BY_TARGET_SLOT,
            "not included by slot 882001",
            slotClock(),
            List.of(missed),
            List.of(block(50, 3, List.of(hash(60)))),
            List.of(),
            NOW + 50),
        new Evidence(
            ViolationKind.ORDER_REVERSED,
            "sequence 1043 was included after a later one",
            slotClock(),
            reversed,
            List.of(block(70, 4, List.of(hash(34), hash(32))), block(72, 5, List.of())),
            List.of(
                new Inclusion(hash(32), new Finality(4, hash(70), 1)),
                new Inclusion(hash(34), new Finality(4, hash(70), 0))),
            NOW + 60));
  }

  public static List<Rejection> rejections() {
    return List.of(
        Rejection.of(
            ErrorCode.INVALID_TRANSACTION,
            Reason.MALFORMED_HEX,
            "transactions[1] has a non-hex character 'z' at position 3: \"0x0z\""),
        Rejection.backendUnavailable(
            "recording 2 preconfirmations: PostgreSQL at 127.0.0.1:5439/preconf did not answer"
                + " within 2000 ms"),
        Rejection.of(ErrorCode.VALIDATION_FAILED, Reason.NOT_FOUND, "no preconfirmation held"));
  }

  public static PreconfirmResult preconfirmResult() {
    List<Preconfirmation> b = batch(false);
    return new PreconfirmResult(
        List.of(single(), b.get(0), b.get(1)),
        List.of(
            new IndexedRejection(1, rejections().get(0)),
            new IndexedRejection(4, rejections().get(1))),
        null);
  }

  public static TrackedPreconfirmation tracked(Status status, Finality finality) {
    return new TrackedPreconfirmation(singleWithPq(), status, finality);
  }

  /**
   * Violations as the ledger hands them back: the evidence text as PostgreSQL's jsonb renders it,
   * which is not the text that was written.
   */
  public static List<RecordedViolation> recordedViolations() {
    return List.of(
        new RecordedViolation(
            hash(21),
            ViolationKind.NOT_INCLUDED_BY_TARGET_SLOT,
            hash(50),
            "not included by slot 882001",
            "{\"kind\": \"NOT_INCLUDED_BY_TARGET_SLOT\", \"rollup\": {\"chainId\": 167000},"
                + " \"blocks\": [], \"version\": 1}",
            NOW + 50,
            false),
        new RecordedViolation(
            hash(21),
            ViolationKind.ORDER_REVERSED,
            hash(70),
            "sequence 1 was included after a later one",
            "{\"kind\": \"ORDER_REVERSED\", \"version\": 1, \"detectedAt\": 1764000000183}",
            NOW + 60,
            true));
  }

  public static List<ReconcileResult> reconcileResults() {
    List<Evidence> ev = evidence();
    Block applied = block(70, 4, List.of(hash(34), hash(32)));
    return List.of(
        new ReconcileResult(
            ReconcileResult.Outcome.APPLIED,
            applied,
            new Reorg(ALPHA, 4, hash(80), hash(70), List.of(hash(80), hash(81))),
            statusChanges(),
            List.of(
                new Violation(single(), hash(50), ev.get(0)),
                new Violation(batch(true).get(0), hash(70), ev.get(1))),
            null),
        new ReconcileResult(
            ReconcileResult.Outcome.APPLIED,
            applied,
            new Reorg(ALPHA, 4, null, hash(70), List.of()),
            List.of(),
            List.of(),
            null),
        new ReconcileResult(
            ReconcileResult.Outcome.DUPLICATE, applied, null, List.of(), List.of(), null),
        ReconcileResult.refused(null, rejections().get(0)),
        ReconcileResult.refused(applied, rejections().get(1)));
  }

  /** The two rollups of the default local configuration. */
  public static List<RollupConfig> rollups() {
    return List.of(
        RollupConfig.builder(ALPHA, "alpha", 1_735_689_600_000L).build(),
        RollupConfig.builder(BETA, "beta", 1_735_689_600_000L).slotDurationMs(12_000).build());
  }
}
