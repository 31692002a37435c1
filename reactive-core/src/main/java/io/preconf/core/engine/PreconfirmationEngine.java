package io.preconf.core.engine;

import static io.preconf.core.error.ErrorCode.PRECONFIRMATION_GENERATION_FAILED;
import static io.preconf.core.error.ErrorCode.SIGNATURE_GENERATION_FAILED;
import static io.preconf.core.error.ErrorCode.STORAGE_FAILED;
import static io.preconf.core.error.ErrorCode.VALIDATION_FAILED;

import io.preconf.core.commit.Commitment;
import io.preconf.core.commit.CommitmentTypedData;
import io.preconf.core.commit.Leaf;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.crypto.MlDsaSigner;
import io.preconf.core.crypto.Secp256k1Backend;
import io.preconf.core.error.Reason;
import io.preconf.core.error.RejectedException;
import io.preconf.core.error.Rejection;
import io.preconf.core.error.Result;
import io.preconf.core.merkle.MerkleTree;
import io.preconf.core.metrics.EngineCounters;
import io.preconf.core.port.Clock;
import io.preconf.core.port.FeedPublisher;
import io.preconf.core.port.LaneOutcome;
import io.preconf.core.port.LanePosition;
import io.preconf.core.port.LaneSequencer;
import io.preconf.core.port.PreconfirmationStore;
import io.preconf.core.rollup.Rollups;
import io.preconf.core.time.Timeouts;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The engine: turns signed rollup transactions into signed, expiring preconfirmations, and checks
 * preconfirmations. Non-blocking: CPU work (decoding, sender recovery, signing) runs on the given
 * executor, I/O through the ports.
 *
 * <p>A preconfirmation is returned only once the store has recorded it; a position whose record
 * failed is voided in its lane and the caller is told BACKEND_UNAVAILABLE.
 */
public final class PreconfirmationEngine {
  private static final System.Logger LOG = System.getLogger(PreconfirmationEngine.class.getName());

  /**
   * How many preconfirm deadlines a lane position may stay unrecorded before the engine takes the
   * request that claimed it for gone (see {@link #neverRecorded}).
   */
  private static final int STALE_AFTER = 2;

  private final EngineConfig config;
  private final Rollups rollups;
  private final Signers signers;
  private final MlDsaSigner pqSigner;
  private final Ports ports;
  private final Executor cpu;
  private final EngineCounters counters;
  private final RequestChecks checks;
  private final PreconfirmationValidator validator;

  /** The adapters the engine works through. */
  public record Ports(
      LaneSequencer lanes, PreconfirmationStore store, FeedPublisher feed, Clock clock) {
    public Ports {
      Objects.requireNonNull(lanes, "lanes");
      Objects.requireNonNull(store, "store");
      Objects.requireNonNull(feed, "feed");
      Objects.requireNonNull(clock, "clock");
    }
  }

  /** An engine whose sender recovery and signature checks run on Bouncy Castle. */
  public PreconfirmationEngine(
      EngineConfig config,
      Rollups rollups,
      Signers signers,
      List<TrustedSigner> trustedSigners,
      Ports ports,
      Executor cpu,
      EngineCounters counters) {
    this(
        config,
        rollups,
        signers,
        trustedSigners,
        ports,
        cpu,
        counters,
        Secp256k1Backend.bouncyCastle());
  }

  /**
   * @param signers this preconfer's identity, with its keys when this process signs; with quantum
   *     signatures on, a signing process needs the ML-DSA-65 key too
   * @param trustedSigners preconfers whose commitments validation accepts, besides this engine
   * @param cpu where decoding, recovery and signing run (never an event loop)
   * @param secp256k1 who recovers senders and checks commitment signatures (signing is the signer's
   *     own backend)
   */
  public PreconfirmationEngine(
      EngineConfig config,
      Rollups rollups,
      Signers signers,
      List<TrustedSigner> trustedSigners,
      Ports ports,
      Executor cpu,
      EngineCounters counters,
      Secp256k1Backend secp256k1) {
    this.config = Objects.requireNonNull(config, "config");
    this.rollups = Objects.requireNonNull(rollups, "rollups");
    this.signers = Objects.requireNonNull(signers, "signers");
    if (signers.canSign() && config.quantumSignatures() && signers.pq() == null) {
      throw new IllegalArgumentException(
          "quantum signatures are on but no ML-DSA-65 key is configured");
    }
    this.pqSigner = config.quantumSignatures() ? signers.pq() : null;
    this.ports = Objects.requireNonNull(ports, "ports");
    this.cpu = Objects.requireNonNull(cpu, "cpu");
    this.counters = Objects.requireNonNull(counters, "counters");
    Objects.requireNonNull(secp256k1, "secp256k1");
    this.checks = new RequestChecks(config, new TransactionRules(rollups, config), secp256k1);
    Map<Address, TrustedSigner> trusted = new HashMap<>();
    for (TrustedSigner t : trustedSigners) {
      trusted.put(t.address(), t);
    }
    trusted.put(signers.address(), new TrustedSigner(signers.address(), signers.pqPublicKey()));
    this.validator =
        new PreconfirmationValidator(
            trusted,
            config.requireQuantumSignature(),
            config.verifiedRootCacheSize(),
            counters,
            secp256k1);
  }

  public Address signerAddress() {
    return signers.address();
  }

  /** The ML-DSA-65 public key this preconfer co-signs with, or null when it does not. */
  public Bytes pqPublicKey() {
    return config.quantumSignatures() ? signers.pqPublicKey() : null;
  }

  public Rollups rollups() {
    return rollups;
  }

  public EngineConfig config() {
    return config;
  }

  public EngineCounters counters() {
    return counters;
  }

  // ---------------------------------------------------------------- preconfirm

  public Uni<PreconfirmResult> preconfirm(PreconfirmRequest request) {
    if (!signers.canSign()) {
      Rejection noKey =
          Rejection.of(
              SIGNATURE_GENERATION_FAILED,
              Reason.INTERNAL_ERROR,
              "this deployment holds no signing key for "
                  + signers.address()
                  + "; send preconfirm requests to a signing function");
      counters.rejected(noKey.reason());
      return Uni.createFrom().item(PreconfirmResult.refused(noKey));
    }
    var problem = checks.checkRequest(request);
    if (problem.isPresent()) {
      counters.rejected(problem.get().reason());
      return Uni.createFrom().item(PreconfirmResult.refused(problem.get()));
    }
    long nowMs = ports.clock().nowMillis();
    return decodeAll(request, nowMs)
        .onItem()
        .transform(checks::crossCheck)
        .onItem()
        .transformToUni(legs -> sequenceAndIssue(request.atomic(), legs))
        .ifNoItem()
        .after(config.preconfirmationTimeout())
        .on(Timeouts.scheduler())
        .recoverWithItem(
            () ->
                PreconfirmResult.refused(
                    Rejection.of(
                        PRECONFIRMATION_GENERATION_FAILED,
                        Reason.TIMEOUT,
                        "the request did not complete within "
                            + config.preconfirmationTimeout().toMillis()
                            + " ms; resubmit: an issued preconfirmation is returned again")))
        .onItem()
        .invoke(this::count);
  }

  private Uni<List<Result<Leg>>> decodeAll(PreconfirmRequest request, long nowMs) {
    List<String> txs = request.transactions();
    if (!config.parallelProcessing() || txs.size() == 1) {
      return onCpu(
          () -> {
            List<Result<Leg>> out = new ArrayList<>(txs.size());
            for (int i = 0; i < txs.size(); i++) {
              out.add(checks.decodeOne(i, txs.get(i), request.targetSlot(), nowMs));
            }
            return out;
          });
    }
    List<Uni<Result<Leg>>> unis = new ArrayList<>(txs.size());
    for (int i = 0; i < txs.size(); i++) {
      int index = i;
      unis.add(onCpu(() -> checks.decodeOne(index, txs.get(index), request.targetSlot(), nowMs)));
    }
    return Uni.combine()
        .all()
        .unis(unis)
        .with(
            results -> {
              List<Result<Leg>> out = new ArrayList<>(results.size());
              for (Object r : results) {
                @SuppressWarnings("unchecked")
                Result<Leg> leg = (Result<Leg>) r;
                out.add(leg);
              }
              return out;
            });
  }

  private Uni<PreconfirmResult> sequenceAndIssue(boolean atomic, List<Result<Leg>> decoded) {
    List<IndexedRejection> rejected = new ArrayList<>();
    List<Leg> legs = new ArrayList<>(decoded.size());
    for (int i = 0; i < decoded.size(); i++) {
      Result<Leg> r = decoded.get(i);
      if (r.isOk()) {
        legs.add(r.value());
      } else {
        rejected.add(new IndexedRejection(i, r.rejection()));
      }
    }
    if (atomic && !rejected.isEmpty()) {
      List<IndexedRejection> problems = List.copyOf(rejected);
      for (Leg leg : legs) {
        rejected.add(
            new IndexedRejection(leg.index(), RequestChecks.bundleRejected(leg.index(), problems)));
      }
      return Uni.createFrom().item(result(List.of(), rejected));
    }
    if (legs.isEmpty()) {
      return Uni.createFrom().item(result(List.of(), rejected));
    }
    return ports
        .lanes()
        .claim(legs.stream().map(Leg::claim).toList(), atomic)
        .onFailure()
        .recoverWithItem(
            failure -> {
              Rejection why = backendRejection(failure, "lane sequencer");
              return legs.stream().<LaneOutcome>map(l -> new LaneOutcome.Refused(why)).toList();
            })
        .onItem()
        .transformToUni(outcomes -> settle(atomic, legs, outcomes, rejected));
  }

  private Uni<PreconfirmResult> settle(
      boolean atomic, List<Leg> legs, List<LaneOutcome> outcomes, List<IndexedRejection> rejected) {
    if (outcomes.size() != legs.size()) {
      throw new IllegalStateException(
          "lane sequencer answered " + outcomes.size() + " outcomes for " + legs.size() + " legs");
    }
    List<Leg> assigned = new ArrayList<>();
    List<LanePosition> positions = new ArrayList<>();
    List<Leg> existing = new ArrayList<>();
    List<IndexedRejection> refusedInLane = new ArrayList<>();
    for (int i = 0; i < legs.size(); i++) {
      Leg leg = legs.get(i);
      LaneOutcome outcome = outcomes.get(i);
      if (outcome instanceof LaneOutcome.Assigned a) {
        assigned.add(leg);
        positions.add(a.position());
      } else if (outcome instanceof LaneOutcome.AlreadyPreconfirmed) {
        existing.add(leg);
      } else if (outcome instanceof LaneOutcome.Refused r) {
        refusedInLane.add(new IndexedRejection(leg.index(), r.rejection()));
      }
    }
    for (int i = 0; i < legs.size(); i++) {
      if (outcomes.get(i) instanceof LaneOutcome.Skipped) {
        int index = legs.get(i).index();
        rejected.add(
            new IndexedRejection(index, RequestChecks.bundleRejected(index, refusedInLane)));
      }
    }
    rejected.addAll(refusedInLane);

    Uni<Issued> fresh =
        assigned.isEmpty()
            ? Uni.createFrom().item(new Issued(List.of(), List.of()))
            : issue(atomic, assigned, positions);
    Uni<Issued> old =
        existing.isEmpty()
            ? Uni.createFrom().item(new Issued(List.of(), List.of()))
            : fetchExisting(existing);
    return Uni.combine()
        .all()
        .unis(fresh, old)
        .with(
            (a, b) -> {
              List<Indexed> preconfirmations = new ArrayList<>(a.issued());
              preconfirmations.addAll(b.issued());
              preconfirmations.sort(Comparator.comparingInt(Indexed::index));
              rejected.addAll(a.rejected());
              rejected.addAll(b.rejected());
              return result(
                  preconfirmations.stream().map(Indexed::preconfirmation).toList(), rejected);
            });
  }

  /** Builds the tree, signs, records durably, then publishes. */
  private Uni<Issued> issue(boolean atomic, List<Leg> legs, List<LanePosition> positions) {
    return onCpu(() -> sign(atomic, legs, positions))
        .onFailure()
        .recoverWithItem(
            failure -> {
              LOG.log(System.Logger.Level.ERROR, "signing a commitment failed", failure);
              return null;
            })
        .onItem()
        .transformToUni(
            issued -> {
              if (issued == null) {
                Rejection why =
                    Rejection.of(
                        SIGNATURE_GENERATION_FAILED,
                        Reason.INTERNAL_ERROR,
                        "the commitment could not be signed; nothing was promised");
                return abandon(positions).replaceWith(Issued.failed(legs, why));
              }
              return record(legs, positions, issued);
            });
  }

  private Uni<Issued> record(
      List<Leg> legs, List<LanePosition> positions, List<Preconfirmation> issued) {
    List<Indexed> indexed = new ArrayList<>(legs.size());
    for (int i = 0; i < legs.size(); i++) {
      indexed.add(new Indexed(legs.get(i).index(), issued.get(i)));
    }
    return ports
        .store()
        .record(issued)
        .onItem()
        .transformToUni(
            ignored ->
                ports
                    .feed()
                    .publish(issued)
                    .onFailure()
                    .invoke(
                        e ->
                            LOG.log(
                                System.Logger.Level.WARNING,
                                "feed publish failed; readers fill the gap from the store",
                                e))
                    .onFailure()
                    .recoverWithNull()
                    .invoke(() -> counters.generated(issued.size()))
                    .replaceWith(new Issued(indexed, List.of())))
        .onFailure()
        .recoverWithUni(
            failure ->
                abandon(positions)
                    .chain(() -> afterRefusedRecord(legs, backendRejection(failure, "store"))));
  }

  /**
   * A record that failed. When the store was reachable and refused it, a transaction may be
   * recorded already: its claim had left the lanes (they keep claims for a while only, the store
   * for good). That transaction gets its recorded preconfirmation, as any resubmission does; every
   * other leg gets {@code why}.
   */
  private Uni<Issued> afterRefusedRecord(List<Leg> legs, Rejection why) {
    if (why.reason() == Reason.BACKEND_UNAVAILABLE) {
      return Uni.createFrom().item(Issued.failed(legs, why));
    }
    List<Uni<Issued>> each = new ArrayList<>(legs.size());
    for (Leg leg : legs) {
      each.add(
          ports
              .store()
              .find(leg.tx().chainId(), leg.tx().txHash())
              .onFailure()
              .recoverWithItem(Optional.empty())
              .onItem()
              .transform(
                  found ->
                      found
                          .map(p -> Issued.found(leg, p))
                          .orElseGet(() -> Issued.failed(List.of(leg), why))));
    }
    return combined(each);
  }

  private List<Preconfirmation> sign(boolean atomic, List<Leg> legs, List<LanePosition> positions) {
    List<Leaf> leaves = new ArrayList<>(legs.size());
    List<Hash32> hashes = new ArrayList<>(legs.size());
    long latestReceipt = 0;
    for (int i = 0; i < legs.size(); i++) {
      Leg leg = legs.get(i);
      LanePosition pos = positions.get(i);
      Leaf leaf =
          new Leaf(
              leg.tx().chainId(),
              leg.tx().txHash(),
              leg.tx().sender(),
              leg.tx().nonce(),
              pos.sequence(),
              pos.previous(),
              pos.receivedAt(),
              leg.targetSlot());
      leaves.add(leaf);
      hashes.add(leaf.hash());
      latestReceipt = Math.max(latestReceipt, pos.receivedAt());
    }
    MerkleTree tree = MerkleTree.of(hashes);
    // The sequencer's clock may run slightly ahead of ours; a promise is never issued before its
    // positions were assigned.
    long issuedAt = Math.max(ports.clock().nowMillis(), latestReceipt);
    long expiresAt = issuedAt + config.ttl().toMillis();
    Hash32 digest = CommitmentTypedData.digest(tree.root(), issuedAt, expiresAt, atomic);
    Bytes signature = signers.ecdsa().sign(digest);
    Bytes pqSignature = pqSigner == null ? null : pqSigner.sign(digest);
    Commitment commitment =
        new Commitment(
            tree.root(), issuedAt, expiresAt, atomic, signers.address(), signature, pqSignature);
    List<Preconfirmation> out = new ArrayList<>(legs.size());
    for (int i = 0; i < leaves.size(); i++) {
      Hash32 id = hashes.get(i);
      out.add(new Preconfirmation(id, leaves.get(i), tree.proof(id), commitment));
    }
    return out;
  }

  private Uni<Void> abandon(List<LanePosition> positions) {
    return ports
        .lanes()
        .abandon(positions)
        .onFailure()
        .invoke(
            e ->
                LOG.log(
                    System.Logger.Level.ERROR,
                    "could not void "
                        + positions.size()
                        + " abandoned lane positions; they stay unrecorded",
                    e))
        .onFailure()
        .recoverWithNull();
  }

  /**
   * A transaction that already holds a position: answer with its preconfirmation. A concurrent
   * request may still be signing it, so wait (bounded) until it is recorded.
   */
  private Uni<Issued> fetchExisting(List<Leg> legs) {
    List<Uni<Issued>> lookups = new ArrayList<>(legs.size());
    for (Leg leg : legs) {
      lookups.add(awaitRecorded(leg));
    }
    return combined(lookups);
  }

  /** One answer for several legs, each answered on its own. */
  private static Uni<Issued> combined(List<Uni<Issued>> each) {
    return Uni.combine()
        .all()
        .unis(each)
        .with(
            results -> {
              List<Indexed> found = new ArrayList<>();
              List<IndexedRejection> missing = new ArrayList<>();
              for (Object r : results) {
                Issued one = (Issued) r;
                found.addAll(one.issued());
                missing.addAll(one.rejected());
              }
              return new Issued(found, missing);
            });
  }

  private Uni<Issued> awaitRecorded(Leg leg) {
    ChainId chainId = leg.tx().chainId();
    Hash32 txHash = leg.tx().txHash();
    Duration wait = config.preconfirmationTimeout().dividedBy(2);
    return Uni.createFrom()
        .deferred(() -> ports.store().find(chainId, txHash))
        .onItem()
        .transform(found -> found.orElseThrow(NotYetRecorded::new))
        .onFailure(NotYetRecorded.class)
        .retry()
        .withBackOff(Duration.ofMillis(2), Duration.ofMillis(100))
        .withExecutor(Timeouts.scheduler())
        .expireIn(wait.toMillis())
        .onItem()
        .transform(p -> Issued.found(leg, p))
        .onFailure()
        .recoverWithUni(
            failure ->
                // The back-off gives up with its own exception, the last failure as its cause.
                failure instanceof NotYetRecorded || failure.getCause() instanceof NotYetRecorded
                    ? neverRecorded(leg, wait)
                    : Uni.createFrom()
                        .item(Issued.failed(List.of(leg), backendRejection(failure, "store"))));
  }

  /**
   * A transaction held in its lane with no record. Usually a concurrent request is still at work on
   * it. When the position is older than any live request can be ({@link #STALE_AFTER} deadlines),
   * the request that claimed it is gone (it crashed between its claim and its record) and nothing
   * else would ever release it: the position is voided, so that resubmitting works.
   */
  private Uni<Issued> neverRecorded(Leg leg, Duration waited) {
    ChainId chainId = leg.tx().chainId();
    Hash32 txHash = leg.tx().txHash();
    String tx = "transaction " + txHash + " on chain " + chainId;
    return ports
        .lanes()
        .releaseStale(chainId, txHash, config.preconfirmationTimeout().multipliedBy(STALE_AFTER))
        .onFailure()
        .recoverWithItem(Optional.empty())
        .onItem()
        .transform(
            released -> {
              String message =
                  released.isPresent()
                      ? tx
                          + " held sequence "
                          + released.get().sequence()
                          + " since "
                          + released.get().receivedAt()
                          + " but was never recorded; that position is now void: resubmit"
                      : tx
                          + " is held by a concurrent request that did not record it within "
                          + waited.toMillis()
                          + " ms; resubmit";
              return Issued.failed(
                  List.of(leg),
                  Rejection.of(PRECONFIRMATION_GENERATION_FAILED, Reason.TIMEOUT, message));
            });
  }

  // ---------------------------------------------------------------- validate

  /**
   * Validates a preconfirmation; {@code rawTransaction} (may be null) must then be the promised
   * transaction.
   */
  public Uni<ValidationReport> validate(Preconfirmation preconfirmation, Bytes rawTransaction) {
    return onCpu(() -> validator.check(preconfirmation, rawTransaction, ports.clock().nowMillis()))
        .ifNoItem()
        .after(config.validationTimeout())
        .on(Timeouts.scheduler())
        .recoverWithItem(
            () ->
                new ValidationReport(
                    List.of(
                        Rejection.of(
                            VALIDATION_FAILED,
                            Reason.TIMEOUT,
                            "validation did not complete within "
                                + config.validationTimeout().toMillis()
                                + " ms"))))
        .onItem()
        .invoke(
            report -> {
              counters.validated(report.valid());
              report.errors().forEach(e -> counters.rejected(e.reason()));
            });
  }

  // ---------------------------------------------------------------- helpers

  private <T> Uni<T> onCpu(Supplier<T> work) {
    return Uni.createFrom().item(work).runSubscriptionOn(cpu);
  }

  private static Rejection backendRejection(Throwable failure, String what) {
    if (failure instanceof RejectedException r) {
      return r.rejection();
    }
    LOG.log(System.Logger.Level.ERROR, what + " failed", failure);
    return Rejection.of(
        STORAGE_FAILED,
        Reason.BACKEND_UNAVAILABLE,
        "the "
            + what
            + " failed ("
            + failure.getClass().getSimpleName()
            + "); nothing was promised");
  }

  private static PreconfirmResult result(
      List<Preconfirmation> preconfirmations, List<IndexedRejection> rejected) {
    rejected.sort(Comparator.comparingInt(IndexedRejection::index));
    return new PreconfirmResult(preconfirmations, rejected, null);
  }

  private void count(PreconfirmResult result) {
    if (result.error() != null) {
      counters.rejected(result.error().reason());
    }
    result.rejected().forEach(r -> counters.rejected(r.rejection().reason()));
  }

  private record Indexed(int index, Preconfirmation preconfirmation) {}

  private record Issued(List<Indexed> issued, List<IndexedRejection> rejected) {
    /** A leg answered with a preconfirmation already recorded for it. */
    static Issued found(Leg leg, Preconfirmation p) {
      return new Issued(List.of(new Indexed(leg.index(), p)), List.of());
    }

    static Issued failed(List<Leg> legs, Rejection why) {
      return new Issued(
          List.of(), legs.stream().map(l -> new IndexedRejection(l.index(), why)).toList());
    }
  }

  private static final class NotYetRecorded extends RuntimeException {
    NotYetRecorded() {
      super("not yet recorded", null, false, false);
    }
  }
}
