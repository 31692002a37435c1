package io.preconf.feed.sweep;

import io.preconf.core.port.LanePosition;
import io.preconf.core.port.LaneSequencer;
import io.preconf.core.types.ChainId;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Voids lane positions their requests left open. A request that dies between its claim and its
 * record (a crash, a claim whose answer came too late, an abandon that failed) leaves a position
 * that holds its transaction, its sender's nonce and its slot room, and stalls the lane's feed for
 * a gap wait. Every {@code interval}, each served lane's positions open for longer than {@code
 * olderThan} (past the preconfirm deadline, so no live request is cut short) are voided through the
 * lanes' abandon path ({@link LaneSequencer#sweep}), and so are younger ones whose process the
 * lanes know to be dead: the feed steps over them with a void entry and their transactions may be
 * submitted again. Sweeping is idempotent and refuses any late record of what it voided, so several
 * feed nodes may sweep side by side.
 */
public final class LaneSweeper {
  private static final Logger LOG = Logger.getLogger(LaneSweeper.class);

  private final LaneSequencer lanes;
  private final List<ChainId> chains;
  private final Duration olderThan;
  private final AtomicBoolean sweeping = new AtomicBoolean();

  public LaneSweeper(LaneSequencer lanes, List<ChainId> chains, Duration olderThan) {
    this.lanes = lanes;
    this.chains = List.copyOf(chains);
    this.olderThan = olderThan;
  }

  public Duration olderThan() {
    return olderThan;
  }

  /** Sweeps every {@code interval} on {@code vertx}'s timer; returns the timer, to cancel it. */
  public long every(Vertx vertx, Duration interval) {
    LOG.infof(
        "sweeping lanes %s every %d ms for positions open longer than %d ms",
        chains, interval.toMillis(), olderThan.toMillis());
    return vertx.setPeriodic(interval.toMillis(), id -> sweepUnlessBusy());
  }

  /** One round; a round still running (a slow backend) is not overlapped. */
  private void sweepUnlessBusy() {
    if (!sweeping.compareAndSet(false, true)) {
      return;
    }
    sweep()
        .onTermination()
        .invoke(() -> sweeping.set(false))
        .subscribe()
        .with(voided -> {}, failure -> {});
  }

  /** Sweeps each served lane once; a lane whose sweep fails is tried again next round. */
  public Uni<List<LanePosition>> sweep() {
    List<Uni<List<LanePosition>>> each = new ArrayList<>(chains.size());
    for (ChainId chain : chains) {
      each.add(
          lanes
              .sweep(chain, olderThan)
              .invoke(
                  voided -> {
                    if (!voided.isEmpty()) {
                      LOG.warnf(
                          "voided %d position(s) of lane %s open longer than %d ms or held by a"
                              + " process that is gone: %s",
                          voided.size(), chain, olderThan.toMillis(), voided);
                    }
                  })
              .onFailure()
              .recoverWithItem(
                  f -> {
                    LOG.warnf("sweeping lane %s failed: %s", chain, f.getMessage());
                    return List.of();
                  }));
    }
    return Uni.combine()
        .all()
        .unis(each)
        .with(
            lists -> {
              List<LanePosition> all = new ArrayList<>();
              for (Object l : lists) {
                @SuppressWarnings("unchecked")
                List<LanePosition> voided = (List<LanePosition>) l;
                all.addAll(voided);
              }
              return all;
            });
  }
}
