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
 * Turns freshly claimed lane positions into promises, as a saga: sign the commitment, record it
 * durably with the signed transactions, then publish it on the feed. A promise exists once it is
 * recorded, so a step before that which fails is undone by voiding the positions in their lanes
 * (the transactions may then be submitted again); a failed publish is only logged, as feed readers
 * fill the gap from the store.
 */
final class Recorder {
  private static final System.Logger LOG = System.getLogger(Recorder.class.getName());

  private final CommitmentIssuer issuer;
  private final PreconfirmationEngine.Ports ports;
  private final RecordedLookup recorded;
  private final Executor cpu;
  private final EngineCounters counters;

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

  /** Signs, records and publishes the promise of {@code legs} at their {@code positions}. */
  Uni<Issued> issue(boolean atomic, List<Leg> legs, List<LanePosition> positions) {
    return Uni.createFrom()
        .item(() -> issuer.issue(atomic, legs, positions, ports.clock().nowMillis()))
        .runSubscriptionOn(cpu)
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
    List<PromisedTransaction> kept = new ArrayList<>(issued.size());
    for (int i = 0; i < issued.size(); i++) {
      kept.add(new PromisedTransaction(issued.get(i), legs.get(i).tx().raw()));
    }
    return ports
        .store()
        .record(kept)
        .onItem()
        .transformToUni(
            ignored ->
                ports
                    .feed()
                    .publish(kept)
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
                    .replaceWith(Issued.of(legs, issued)))
        .onFailure()
        .recoverWithUni(
            failure ->
                abandon(positions)
                    .chain(() -> refusedRecord(legs, BackendFailures.rejection(failure, "store"))));
  }

  /**
   * A record that failed. When the store was reachable and refused it, a transaction may be
   * recorded already; see {@link RecordedLookup#recordedOr}.
   */
  private Uni<Issued> refusedRecord(List<Leg> legs, Rejection why) {
    if (why.reason() == Reason.BACKEND_UNAVAILABLE) {
      return Uni.createFrom().item(Issued.failed(legs, why));
    }
    return recorded.recordedOr(legs, why);
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
}
