package io.preconf.core.reconcile;

import io.preconf.core.commit.StatusChange;
import io.preconf.core.commit.TrackedPreconfirmation;
import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.RejectedException;
import io.preconf.core.error.Rejection;
import io.preconf.core.error.Result;
import io.preconf.core.finality.Block;
import io.preconf.core.finality.Bundles;
import io.preconf.core.finality.ChainView;
import io.preconf.core.finality.Evidence;
import io.preconf.core.finality.FinalityConfig;
import io.preconf.core.finality.Inclusion;
import io.preconf.core.finality.Placement;
import io.preconf.core.finality.ReconcilePlan;
import io.preconf.core.finality.Reconciler;
import io.preconf.core.finality.SeenBlock;
import io.preconf.core.finality.SlotClock;
import io.preconf.core.finality.Violation;
import io.preconf.core.port.ChainLedger;
import io.preconf.core.port.Clock;
import io.preconf.core.port.StatusPublisher;
import io.preconf.core.rollup.RollupConfig;
import io.preconf.core.rollup.Rollups;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.preconf.core.wire.WireBlock;
import io.smallrye.mutiny.Uni;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reconciles rollup blocks against the promises: places each block on its chain ({@link
 * Placement}), judges it ({@link Reconciler}), writes the outcome in one transaction and announces
 * the status changes on the feed. Non-blocking: all I/O goes through the ports.
 *
 * <p>Two reconciliations of one chain at once are serialised by the ledger's chain version: the one
 * that commits second finds the chain moved and is judged again against the new state.
 */
public final class Reconciliation {
  private static final System.Logger LOG = System.getLogger(Reconciliation.class.getName());
  private static final int ATTEMPTS = 4;

  /**
   * How many overdue promises one block judges at most, lowest target slot first, so that a backlog
   * (a chain fed again after a long pause) is worked off over several blocks instead of making one
   * transaction too large to finish in time.
   */
  public static final int SWEEP_LIMIT = 256;

  private final FinalityConfig config;
  private final Rollups rollups;
  private final Ports ports;
  private final Reconciler reconciler;
  private final LongAdder beyondFinality = new LongAdder();

  /** The adapters reconciliation works through. */
  public record Ports(ChainLedger ledger, StatusPublisher feed, Clock clock) {
    public Ports {
      Objects.requireNonNull(ledger, "ledger");
      Objects.requireNonNull(feed, "feed");
      Objects.requireNonNull(clock, "clock");
    }
  }

  public Reconciliation(FinalityConfig config, Rollups rollups, Ports ports) {
    this.config = Objects.requireNonNull(config, "config");
    this.rollups = Objects.requireNonNull(rollups, "rollups");
    this.ports = Objects.requireNonNull(ports, "ports");
    this.reconciler = new Reconciler(config);
  }

  /** The highest canonical block recorded for {@code chain}, or empty before its first. */
  public Uni<Optional<Block>> recordedHead(ChainId chain) {
    // The ledger's view around any height carries the chain's head.
    return ports
        .ledger()
        .view(chain, 0, Hash32.ZERO)
        .onItem()
        .transform(view -> Optional.ofNullable(view.head()));
  }

  /**
   * Checks the block's fields, then reconciles it; a malformed block is REFUSED naming the value.
   */
  public Uni<ReconcileResult> reconcile(WireBlock wire) {
    return reconcile(wire, false);
  }

  private Uni<ReconcileResult> reconcile(WireBlock wire, boolean diverged) {
    Result<Block> block = Block.parse(wire, rollups);
    if (!block.isOk()) {
      return Uni.createFrom().item(ReconcileResult.refused(null, block.rejection()));
    }
    return reconcile(block.value(), diverged);
  }

  /** A block its entry point could not read: REFUSED for {@code why}. */
  public Uni<ReconcileResult> refuse(Rejection why) {
    return Uni.createFrom().item(ReconcileResult.refused(null, why));
  }

  public Uni<ReconcileResult> reconcile(Block block) {
    return reconcile(block, false);
  }

  /**
   * Reconciles a block of a node whose chain no longer meets the recorded one within the finality
   * depth (see {@link Placement#afterDivergence}): the block replaces the recorded blocks from its
   * height up however deep that is, and their effects are undone, FINALIZED ones included. Such a
   * reorg beyond finality is logged as an error and counted ({@link #reorgsBeyondFinality()}): a
   * promise the engine called final left the chain.
   */
  public Uni<ReconcileResult> reconcileAfterDivergence(WireBlock block) {
    return reconcile(block, true);
  }

  /** How many reorgs deeper than the finality depth were taken since start. */
  public long reorgsBeyondFinality() {
    return beyondFinality.sum();
  }

  private Uni<ReconcileResult> reconcile(Block block, boolean diverged) {
    RollupConfig rollup = rollups.find(block.chainId()).orElse(null);
    if (rollup == null) {
      return Uni.createFrom()
          .item(
              ReconcileResult.refused(
                  block,
                  rollups.unsupportedChain(ErrorCode.VALIDATION_FAILED, block.chainId().value())));
    }
    return Uni.createFrom()
        .deferred(() -> attempt(block, rollup, diverged))
        .onFailure(Reconciliation::chainMoved)
        .retry()
        .atMost(ATTEMPTS - 1)
        .onItem()
        .invoke(this::reportBeyondFinality)
        .onItem()
        .call(result -> announce(result.changes()))
        .onFailure()
        .recoverWithItem(failure -> ReconcileResult.refused(block, backendRejection(failure)));
  }

  private void reportBeyondFinality(ReconcileResult result) {
    if (result.reorg() == null || result.reorg().depth() <= config.depth()) {
      return;
    }
    beyondFinality.increment();
    long finalized =
        result.changes().stream()
            .filter(
                c -> c.reason() != null && c.reason().contains(Reason.REORG_BEYOND_FINALITY.name()))
            .count();
    LOG.log(
        System.Logger.Level.ERROR,
        Reason.REORG_BEYOND_FINALITY
            + ": chain "
            + result.block().chainId()
            + " replaced "
            + result.reorg().depth()
            + " block(s) from height "
            + result.reorg().height()
            + ", deeper than the finality depth "
            + config.depth()
            + "; "
            + finalized
            + " FINALIZED promise(s) left the chain");
  }

  private Uni<ReconcileResult> attempt(Block block, RollupConfig rollup, boolean diverged) {
    long now = ports.clock().nowMillis();
    return ports
        .ledger()
        .view(block.chainId(), block.number(), block.hash())
        .onItem()
        .transformToUni(
            view -> {
              Placement placement =
                  diverged
                      ? Placement.afterDivergence(block, view, rollup, config, now)
                      : Placement.of(block, view, rollup, config, now);
              if (placement instanceof Placement.Duplicate) {
                return Uni.createFrom().item(ReconcileResult.duplicate(block));
              }
              if (placement instanceof Placement.Refused r) {
                return Uni.createFrom().item(ReconcileResult.refused(block, r.rejection()));
              }
              if (placement instanceof Placement.Replace r) {
                return ports
                    .ledger()
                    .canonicalFrom(block.chainId(), r.height())
                    .onItem()
                    .transformToUni(orphaned -> judge(block, rollup, view, orphaned, now));
              }
              return judge(block, rollup, view, List.of(), now);
            });
  }

  private Uni<ReconcileResult> judge(
      Block block, RollupConfig rollup, ChainView view, List<SeenBlock> orphaned, long now) {
    SlotClock clock = SlotClock.of(rollup);
    Set<Hash32> touched = new HashSet<>();
    for (SeenBlock b : orphaned) {
      b.effects().forEach(e -> touched.add(e.preconfirmationId()));
    }
    ChainLedger.Candidates query =
        new ChainLedger.Candidates(
            block.chainId(),
            new HashSet<>(block.transactions()),
            touched,
            block.slot(),
            clock.slotStartMs(block.slot()),
            block.number() - config.depth(),
            SWEEP_LIMIT);
    return ports
        .ledger()
        .candidates(query)
        .onItem()
        .transform(
            (List<TrackedPreconfirmation> candidates) ->
                reconciler.reconcile(block, clock, view.version(), orphaned, candidates, now))
        .onItem()
        .transformToUni(this::withEarlierBlocks)
        .onItem()
        .transformToUni(this::withBrokenBundles)
        .onItem()
        .transformToUni(plan -> ports.ledger().commit(plan).replaceWith(plan))
        .onItem()
        .transform(ReconcileResult::applied);
  }

  /** Completes order-reversal evidence with the earlier block the overtaking transaction is in. */
  private Uni<ReconcilePlan> withEarlierBlocks(ReconcilePlan plan) {
    List<Hash32> missing = Reconciler.missingBlocks(plan.violations());
    if (missing.isEmpty()) {
      return Uni.createFrom().item(plan);
    }
    return ports
        .ledger()
        .blocks(plan.block().chainId(), missing)
        .onItem()
        .transform(
            blocks -> {
              Map<Hash32, Block> byHash =
                  blocks.stream().collect(Collectors.toMap(Block::hash, Function.identity()));
              return plan.withViolations(
                  plan.violations().stream()
                      .map(
                          v -> {
                            Evidence e = v.evidence();
                            for (Inclusion i : e.inclusions()) {
                              Block b = byHash.get(i.where().blockHash());
                              if (b != null) {
                                e = e.withBlock(b);
                              }
                            }
                            return new Violation(v.preconfirmation(), v.blockHash(), e);
                          })
                      .toList());
            });
  }

  /** Breaks the other legs of every atomic bundle whose leg the plan shows missed. */
  private Uni<ReconcilePlan> withBrokenBundles(ReconcilePlan plan) {
    Set<Hash32> roots = Bundles.brokenRoots(plan);
    if (roots.isEmpty()) {
      return Uni.createFrom().item(plan);
    }
    return ports
        .ledger()
        .bundleLegs(roots)
        .onItem()
        .transform(legs -> Bundles.breakBundles(plan, legs));
  }

  private Uni<Void> announce(List<StatusChange> changes) {
    if (changes.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    // The statuses are durable already; a feed reader that missed these reads them via status.
    return ports
        .feed()
        .publish(changes)
        .onFailure()
        .invoke(
            e ->
                LOG.log(
                    System.Logger.Level.WARNING,
                    "publishing " + changes.size() + " status changes failed",
                    e))
        .onFailure()
        .recoverWithNull();
  }

  private static boolean chainMoved(Throwable f) {
    for (Throwable t = f; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ChainLedger.ChainMoved) {
        return true;
      }
    }
    return false;
  }

  private static Rejection backendRejection(Throwable failure) {
    if (chainMoved(failure)) {
      return Rejection.of(
          ErrorCode.STORAGE_FAILED,
          Reason.TIMEOUT,
          "the chain kept moving under "
              + ATTEMPTS
              + " attempts to reconcile this block; send it again");
    }
    if (failure instanceof RejectedException r) {
      return r.rejection();
    }
    LOG.log(System.Logger.Level.ERROR, "reconciling a block failed", failure);
    return Rejection.of(
        ErrorCode.STORAGE_FAILED,
        Reason.INTERNAL_ERROR,
        "reconciling the block failed (" + failure.getClass().getSimpleName() + ")");
  }
}
