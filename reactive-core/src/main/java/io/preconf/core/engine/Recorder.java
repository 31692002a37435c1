package io.preconf.core.engine;

import static io.preconf.core.error.ErrorCode.SIGNATURE_GENERATION_FAILED;

import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.commit.PromisedTransaction;
import io.preconf.core.error.Reason;
import io.preconf.core.error.Rejection;
import io.preconf.core.metrics.EngineCounters;
import io.preconf.core.port.LanePosition;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Turns a round's freshly claimed lane positions into promises, as a saga: sign the round's
 * commitments, record them durably with the signed transactions in one store call, then publish
 * them on the feed in one call, once the previous round's publish is done. A promise exists once it
 * is recorded, so the round's requests are answered then, and the publish follows without holding
 * them; a step before the record which fails is undone by voiding the positions in their lanes (the
 * transactions may then be submitted again); a failed publish is only logged, as feed readers fill
 * the gap from the store.
 *
 * <p>A record the store refused (rather than one it could not take) is retried request by request,
 * so that one request's refusal (a transaction recorded long ago, a position voided meanwhile)
 * never refuses the others of its round; each request then fares as it would alone.
 */
final class Recorder {
  private static final System.Logger LOG = System.getLogger(Recorder.class.getName());

  private final CommitmentIssuer issuer;
  private final PreconfirmationEngine.Ports ports;
  private final RecordedLookup recorded;
  private final Executor cpu;
  private final EngineCounters counters;

  /** A request's batch with its signed preconfirmations, in leg order. */
  private record Signed(CommitmentIssuer.Batch batch, List<Preconfirmation> preconfirmations) {
    List<PromisedTransaction> kept() {
      List<PromisedTransaction> kept = new ArrayList<>(preconfirmations.size());
      for (int i = 0; i < preconfirmations.size(); i++) {
        kept.add(new PromisedTransaction(preconfirmations.get(i), batch.legs().get(i).tx().raw()));
      }
      return kept;
    }

    Issued issued() {
      return Issued.of(batch.legs(), preconfirmations);
    }
  }

  Recorder(
      CommitmentIssuer issuer,
      PreconfirmationEngine.Ports ports,
      RecordedLookup recorded,
      Executor cpu,
      EngineCounters counters) {
    this.issuer = issuer;
    this.ports = ports;
    this.recorded = recorded;
    this.cpu = cpu;
    this.counters = counters;
  }

  /**
   * A round's promises once recorded: what each batch got, in order ({@link Issued#NONE} for a
   * batch with no legs), and the feed publish of what this call recorded, which follows the record
   * and is never waited for by an answer.
   *
   * @param publish the feed publish of this call's promises, started when subscribed to (once):
   *     after the answers are out, since encoding a round's feed entries is work no answer needs.
   *     It completes once the feed carries them (or their publish has failed and been logged), and
   *     never before {@code turn}; it never fails
   */
  record Recorded(List<Issued> issued, Uni<Void> publish) {}

  /** What a record did: each batch's promises or why it has none, and the promises it stored. */
  private record Stored(List<Issued> issued, List<PromisedTransaction> kept) {
    static Stored merged(List<Stored> parts) {
      List<Issued> issued = new ArrayList<>(parts.size());
      List<PromisedTransaction> kept = new ArrayList<>();
      for (Stored part : parts) {
        issued.addAll(part.issued());
        kept.addAll(part.kept());
      }
      return new Stored(issued, kept);
    }
  }

  /**
   * Signs and records the promises of every batch's legs at their positions, then starts their feed
   * publish, once the previous round's is done.
   *
   * @param turn completes when the feed may carry this round's promises: once the previous round
   *     has published, so that each lane's feed follows its sequence
   * @param marks where the round's signing and its turn are timed
   */
  Uni<Recorded> issue(
      List<CommitmentIssuer.Batch> batches, Uni<Void> turn, RoundTrace.Marks marks) {
    if (batches.stream().allMatch(b -> b.legs().isEmpty())) {
      return Uni.createFrom()
          .item(
              new Recorded(
                  batches.stream().map(b -> Issued.NONE).toList(),
                  publish(List.of(), turn, marks)));
    }
    return Uni.createFrom()
        .item(() -> issuer.issue(batches, ports.clock().nowMillis()))
        .runSubscriptionOn(cpu)
        .invoke(() -> marks.mark(RoundTrace.Stage.SIGN))
        .onFailure()
        .recoverWithItem(
            failure -> {
              LOG.log(System.Logger.Level.ERROR, "signing a round's commitments failed", failure);
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
                return abandon(batches)
                    .replaceWith(
                        new Stored(batches.stream().map(b -> failed(b, why)).toList(), List.of()));
              }
              List<Signed> signed = new ArrayList<>(batches.size());
              for (int i = 0; i < batches.size(); i++) {
                signed.add(new Signed(batches.get(i), issued.get(i)));
              }
              return record(signed);
            })
        .onItem()
        .transform(
            stored -> {
              counters.generated(stored.kept().size());
              return new Recorded(stored.issued(), publish(stored.kept(), turn, marks));
            });
  }

  /**
   * The feed publish of {@code kept}, run after {@code turn} once subscribed to. A round with
   * nothing to publish is done when its turn is, so that the rounds after it still publish in
   * order.
   */
  private Uni<Void> publish(
      List<PromisedTransaction> kept, Uni<Void> turn, RoundTrace.Marks marks) {
    if (kept.isEmpty()) {
      return turn;
    }
    return turn.invoke(() -> marks.mark(RoundTrace.Stage.TURN))
        .chain(() -> ports.feed().publish(kept))
        .onFailure()
        .invoke(
            e ->
                LOG.log(
                    System.Logger.Level.WARNING,
                    "feed publish failed; readers fill the gap from the store",
                    e))
        .onFailure()
        .recoverWithNull();
  }

  private Uni<Stored> record(List<Signed> signed) {
    List<PromisedTransaction> kept = new ArrayList<>();
    signed.forEach(s -> kept.addAll(s.kept()));
    return ports
        .store()
        .record(kept)
        .onItem()
        .transform(ignored -> new Stored(signed.stream().map(Signed::issued).toList(), kept))
        .onFailure()
        .recoverWithUni(
            failure -> recordFailed(signed, BackendFailures.rejection(failure, "store")));
  }

  /**
   * A record that failed. A store that could not be reached would fail each request alike; one that
   * refused the round is asked again for each request on its own.
   */
  private Uni<Stored> recordFailed(List<Signed> signed, Rejection why) {
    List<Signed> withLegs = signed.stream().filter(s -> !s.batch().legs().isEmpty()).toList();
    if (why.reason() == Reason.BACKEND_UNAVAILABLE || withLegs.size() == 1) {
      List<CommitmentIssuer.Batch> batches = signed.stream().map(Signed::batch).toList();
      return abandon(batches)
          .chain(() -> refusedRecord(batches, why))
          .onItem()
          .transform(issued -> new Stored(issued, List.of()));
    }
    List<Uni<Stored>> each = new ArrayList<>(signed.size());
    for (Signed s : signed) {
      each.add(
          s.batch().legs().isEmpty()
              ? Uni.createFrom().item(new Stored(List.of(Issued.NONE), List.of()))
              : record(List.of(s)));
    }
    return Uni.join().all(each).andFailFast().onItem().transform(Stored::merged);
  }

  /**
   * Each batch after a failed record. When the store was reachable and refused it, a transaction
   * may be recorded already; see {@link RecordedLookup#recordedOr}.
   */
  private Uni<List<Issued>> refusedRecord(List<CommitmentIssuer.Batch> batches, Rejection why) {
    if (why.reason() == Reason.BACKEND_UNAVAILABLE) {
      return Uni.createFrom().item(batches.stream().map(b -> failed(b, why)).toList());
    }
    List<Uni<Issued>> each = new ArrayList<>(batches.size());
    for (CommitmentIssuer.Batch b : batches) {
      each.add(
          b.legs().isEmpty()
              ? Uni.createFrom().item(Issued.NONE)
              : recorded.recordedOr(b.legs(), why));
    }
    return Uni.join().all(each).andFailFast();
  }

  private static Issued failed(CommitmentIssuer.Batch batch, Rejection why) {
    return Issued.failed(batch.legs(), why);
  }

  private Uni<Void> abandon(List<CommitmentIssuer.Batch> batches) {
    List<LanePosition> positions = new ArrayList<>();
    batches.forEach(b -> positions.addAll(b.positions()));
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
}
