package io.preconf.core.engine;

import static io.preconf.core.error.ErrorCode.PRECONFIRMATION_GENERATION_FAILED;
import static io.preconf.core.error.ErrorCode.SIGNATURE_GENERATION_FAILED;

import io.preconf.core.crypto.Secp256k1Backend;
import io.preconf.core.error.Reason;
import io.preconf.core.error.RejectedException;
import io.preconf.core.error.Rejection;
import io.preconf.core.error.Result;
import io.preconf.core.metrics.EngineCounters;
import io.preconf.core.port.Clock;
import io.preconf.core.port.FeedPublisher;
import io.preconf.core.port.LanePosition;
import io.preconf.core.port.LaneSequencer;
import io.preconf.core.port.PreconfirmationStore;
import io.preconf.core.rollup.Rollups;
import io.preconf.core.time.Timeouts;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The preconfirm use case: turns signed rollup transactions into signed, expiring preconfirmations
 * within the request's deadline. Each transaction is decoded and checked ({@link RequestChecks}),
 * its sender is read on its rollup's node where senders are checked there ({@link SenderStates}),
 * then the request joins the next round of group commit ({@link Rounds}): the round's requests
 * claim lane positions in one call (with their senders' nonces and balances, on such a rollup), the
 * lanes' answers are settled per request ({@link LaneSettlement}), and the new positions of the
 * whole round are signed, recorded and published together ({@link Recorder}); transactions already
 * promised get their recorded preconfirmation ({@link RecordedLookup}). A request past what the
 * rounds can serve in time is refused OVERLOADED at once ({@link Admission}).
 *
 * <p>Non-blocking: CPU work (signing, and the decoding and sender recovery of a request of more
 * than one transaction) runs on the given executor, I/O through the ports; a lone transaction is
 * decoded on the caller's thread. A preconfirmation is returned only once the store has recorded
 * it.
 */
public final class PreconfirmationEngine {
  /** How many slices a request's transactions are decoded in, at most. */
  private static final int CORES = Runtime.getRuntime().availableProcessors();

  private final EngineConfig config;
  private final Signers signers;
  private final Ports ports;
  private final Executor cpu;
  private final EngineCounters counters;
  private final RequestChecks checks;
  private final RecordedLookup recorded;
  private final Recorder recorder;
  private final Admission admission;
  private final Rounds rounds;

  /**
   * The adapters the engine works through.
   *
   * @param senders the rollups' nodes, for the rollups whose senders are checked there
   */
  public record Ports(
      LaneSequencer lanes,
      PreconfirmationStore store,
      FeedPublisher feed,
      Clock clock,
      SenderStates senders) {
    public Ports {
      Objects.requireNonNull(lanes, "lanes");
      Objects.requireNonNull(store, "store");
      Objects.requireNonNull(feed, "feed");
      Objects.requireNonNull(clock, "clock");
      Objects.requireNonNull(senders, "senders");
    }

    /** For rollups none of whose senders are checked on a node. */
    public Ports(LaneSequencer lanes, PreconfirmationStore store, FeedPublisher feed, Clock clock) {
      this(lanes, store, feed, clock, SenderStates.NONE);
    }
  }

  /** An engine whose sender recovery runs on Bouncy Castle. */
  public PreconfirmationEngine(
      EngineConfig config,
      Rollups rollups,
      Signers signers,
      Ports ports,
      Executor cpu,
      EngineCounters counters) {
    this(config, rollups, signers, ports, cpu, counters, Secp256k1Backend.bouncyCastle());
  }

  /** An engine with rounds of the default size ({@link RoundLimits#defaults}). */
  public PreconfirmationEngine(
      EngineConfig config,
      Rollups rollups,
      Signers signers,
      Ports ports,
      Executor cpu,
      EngineCounters counters,
      Secp256k1Backend secp256k1) {
    this(config, RoundLimits.defaults(), rollups, signers, ports, cpu, counters, secp256k1);
  }

  /**
   * @param rounds how large a round of group commit grows, and how many requests may wait for one
   * @param signers this preconfer's identity, with its keys when this process signs; with quantum
   *     signatures on, a signing process needs the ML-DSA-65 key too
   * @param cpu where signing, and the decoding and recovery of several transactions, run (never an
   *     event loop)
   * @param secp256k1 who recovers senders (signing is the signer's own backend)
   */
  public PreconfirmationEngine(
      EngineConfig config,
      RoundLimits rounds,
      Rollups rollups,
      Signers signers,
      Ports ports,
      Executor cpu,
      EngineCounters counters,
      Secp256k1Backend secp256k1) {
    this.config = Objects.requireNonNull(config, "config");
    this.signers = Objects.requireNonNull(signers, "signers");
    this.ports = Objects.requireNonNull(ports, "ports");
    this.cpu = Objects.requireNonNull(cpu, "cpu");
    this.counters = Objects.requireNonNull(counters, "counters");
    this.checks =
        new RequestChecks(
            config,
            new TransactionRules(Objects.requireNonNull(rollups, "rollups"), config),
            Objects.requireNonNull(secp256k1, "secp256k1"));
    this.recorded =
        new RecordedLookup(ports.store(), ports.lanes(), config.preconfirmationTimeout());
    this.recorder =
        new Recorder(new CommitmentIssuer(signers, config), ports, recorded, cpu, counters);
    this.admission = new Admission(rounds, config.preconfirmationTimeout());
    this.rounds =
        new Rounds(
            new Round(ports.lanes(), recorder),
            admission,
            rounds,
            config.preconfirmationTimeout(),
            counters);
  }

  /** Gated and admitted when subscribed to, so an answer nobody waits for takes no place. */
  public Uni<PreconfirmResult> preconfirm(PreconfirmRequest request) {
    return Uni.createFrom().deferred(() -> admit(request));
  }

  private Uni<PreconfirmResult> admit(PreconfirmRequest request) {
    Rejection refused = gate(request);
    if (refused != null) {
      return refuse(refused);
    }
    Admission.Ticket ticket = admission.admit();
    if (ticket == null) {
      return refuse(admission.overloaded());
    }
    long nowMs = ports.clock().nowMillis();
    return decodeAll(request, nowMs)
        .onItem()
        .transform(checks::crossCheck)
        .onItem()
        .transformToUni(decoded -> ports.senders().check(decoded, holdMs()))
        .onItem()
        .transform(decoded -> LaneSettlement.claims(request.atomic(), decoded))
        .onItem()
        .transformToUni(claims -> claimAndIssue(request.atomic(), claims, ticket))
        .onTermination()
        .invoke(ticket::release)
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
        .onFailure(RejectedException.class)
        .recoverWithItem(
            failure -> PreconfirmResult.refused(((RejectedException) failure).rejection()))
        .onItem()
        .invoke(this::count);
  }

  /**
   * How long a promise reserves its sender's nonce and cost: its life, plus the request's deadline,
   * within which it is issued after its position was assigned.
   */
  private long holdMs() {
    return config.ttl().plus(config.preconfirmationTimeout()).toMillis();
  }

  /** A request refused as a whole, before any transaction is looked at; counted by its reason. */
  public Uni<PreconfirmResult> refuse(Rejection why) {
    counters.rejected(why.reason());
    return Uni.createFrom().item(PreconfirmResult.refused(why));
  }

  /** Why the request may not proceed at all, or null when it may. */
  private Rejection gate(PreconfirmRequest request) {
    if (!signers.canSign()) {
      return Rejection.of(
          SIGNATURE_GENERATION_FAILED,
          Reason.INTERNAL_ERROR,
          "this deployment holds no signing key for "
              + signers.address()
              + "; send preconfirm requests to a signing function");
    }
    return checks.checkRequest(request).orElse(null);
  }

  /**
   * Every transaction decoded and checked, in request order. A lone transaction is decoded where
   * the request arrived: its decoding and sender recovery (some 50 µs with libsecp256k1) cost less
   * than the hop to the executor and back, which woke a worker thread for every single-transaction
   * request. More are handed to the executor: in parallel, cut into one slice per core, each
   * decoded on one hop (a hop per transaction cost a 100-transaction request a hundred tasks and
   * their context switches for work a core does in milliseconds).
   */
  private Uni<List<Result<Leg>>> decodeAll(PreconfirmRequest request, long nowMs) {
    int n = request.transactions().size();
    if (n == 1) {
      return Uni.createFrom().item(() -> decodeSlice(request, 0, 1, nowMs));
    }
    int slices = config.parallelProcessing() ? Math.min(n, CORES) : 1;
    if (slices == 1) {
      return onCpu(() -> decodeSlice(request, 0, n, nowMs));
    }
    List<Uni<List<Result<Leg>>>> unis = new ArrayList<>(slices);
    for (int s = 0; s < slices; s++) {
      int from = s * n / slices;
      int to = (s + 1) * n / slices;
      unis.add(onCpu(() -> decodeSlice(request, from, to, nowMs)));
    }
    return Uni.combine()
        .all()
        .unis(unis)
        .with(
            results -> {
              List<Result<Leg>> out = new ArrayList<>(n);
              for (Object slice : results) {
                @SuppressWarnings("unchecked")
                List<Result<Leg>> legs = (List<Result<Leg>>) slice;
                out.addAll(legs);
              }
              return out;
            });
  }

  /** Transactions {@code from} (inclusive) to {@code to} of the request, decoded and checked. */
  private List<Result<Leg>> decodeSlice(PreconfirmRequest request, int from, int to, long nowMs) {
    List<String> txs = request.transactions();
    List<Result<Leg>> out = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      out.add(checks.decodeOne(i, txs.get(i), request.targetSlot(), nowMs));
    }
    return out;
  }

  private Uni<PreconfirmResult> claimAndIssue(
      boolean atomic, LaneSettlement.Claims claims, Admission.Ticket ticket) {
    if (claims.legs().isEmpty()) {
      return Uni.createFrom().item(result(Issued.NONE, Issued.NONE, claims.rejected()));
    }
    return rounds.join(atomic, claims, ticket).onItem().transformToUni(this::answer);
  }

  /** A request's part of its round, with the legs already promised looked up. */
  private Uni<PreconfirmResult> answer(Round.Answer part) {
    LaneSettlement.Settled settled = part.settled();
    Uni<Issued> old =
        settled.existing().isEmpty()
            ? Uni.createFrom().item(Issued.NONE)
            : recorded.awaitRecorded(settled.existing(), this::reissue);
    return old.onItem().transform(found -> result(part.fresh(), found, settled.rejected()));
  }

  /**
   * Issues, on its own, a leg whose transaction the lanes gave a fresh position while it waited for
   * a record (its holder was gone). It is no round's: it publishes as soon as it is recorded.
   */
  private Uni<Issued> reissue(Leg leg, LanePosition position) {
    return recorder
        .issue(
            List.of(new CommitmentIssuer.Batch(false, List.of(leg), List.of(position))),
            Uni.createFrom().voidItem(),
            RoundTrace.Marks.OFF)
        .onItem()
        .invoke(recorded -> recorded.publish().subscribe().with(ignored -> {}))
        .onItem()
        .transform(recorded -> recorded.issued().get(0));
  }

  /** The preconfirmations and the refusals, each in request order. */
  private static PreconfirmResult result(
      Issued fresh, Issued old, List<IndexedRejection> rejectedBefore) {
    List<Issued.Indexed> preconfirmations = new ArrayList<>(fresh.issued());
    preconfirmations.addAll(old.issued());
    preconfirmations.sort(Comparator.comparingInt(Issued.Indexed::index));
    List<IndexedRejection> rejected = new ArrayList<>(rejectedBefore);
    rejected.addAll(fresh.rejected());
    rejected.addAll(old.rejected());
    rejected.sort(Comparator.comparingInt(IndexedRejection::index));
    return new PreconfirmResult(
        preconfirmations.stream().map(Issued.Indexed::preconfirmation).toList(), rejected, null);
  }

  private <T> Uni<T> onCpu(Supplier<T> work) {
    return Uni.createFrom().item(work).runSubscriptionOn(cpu);
  }

  private void count(PreconfirmResult result) {
    if (result.error() != null) {
      counters.rejected(result.error().reason());
    }
    result.rejected().forEach(r -> counters.rejected(r.rejection().reason()));
  }
}
