package io.preconf.core.limits;

import io.preconf.core.port.RateLimiter;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;

/**
 * Counts arriving uses in as few calls as the shared counts allow, as group commit does for rounds:
 * an idle limiter calls at once; the uses that arrive while a call is out wait for it and go
 * together in the next one (at most {@code maxUsesPerCall} of them, a caller's uses never split).
 * Under load the per-client counts of the requests arriving and the per-sender counts of the round
 * being claimed thus share one call, where each was a call of its own.
 *
 * <p>Each caller gets the waits of its own uses, in order; when a call fails, every caller in it
 * fails with that failure.
 */
public final class CoalescingRateLimiter implements RateLimiter {
  private final RateLimiter counts;
  private final int maxUsesPerCall;
  private final Queue<Waiting> waiting = new ArrayDeque<>();
  private boolean calling;

  private record Waiting(List<Use> uses, CompletableFuture<List<Duration>> waits) {}

  public CoalescingRateLimiter(RateLimiter counts, int maxUsesPerCall) {
    this.counts = Objects.requireNonNull(counts, "counts");
    if (maxUsesPerCall < 1) {
      throw new IllegalArgumentException(
          "a call must carry at least 1 use, got maxUsesPerCall " + maxUsesPerCall);
    }
    this.maxUsesPerCall = maxUsesPerCall;
  }

  @Override
  public Uni<List<Duration>> take(List<Use> uses) {
    if (uses.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    return Uni.createFrom()
        .deferred(
            () -> {
              Waiting mine = new Waiting(List.copyOf(uses), new CompletableFuture<>());
              boolean idle;
              synchronized (waiting) {
                waiting.add(mine);
                idle = !calling;
                calling = true;
              }
              if (idle) {
                callNext();
              }
              return Uni.createFrom().completionStage(mine.waits());
            });
  }

  /** Sends everything waiting, up to the bound, in one call; the limiter is idle when none is. */
  private void callNext() {
    List<Waiting> call = new ArrayList<>();
    List<Use> uses = new ArrayList<>();
    synchronized (waiting) {
      while (!waiting.isEmpty()
          && (call.isEmpty() || uses.size() + waiting.peek().uses().size() <= maxUsesPerCall)) {
        Waiting w = waiting.remove();
        call.add(w);
        uses.addAll(w.uses());
      }
      if (call.isEmpty()) {
        calling = false;
        return;
      }
    }
    counts
        .take(uses)
        .subscribe()
        .with(
            waits -> {
              int from = 0;
              for (Waiting w : call) {
                int to = from + w.uses().size();
                w.waits().complete(List.copyOf(waits.subList(from, to)));
                from = to;
              }
              callNext();
            },
            failure -> {
              call.forEach(w -> w.waits().completeExceptionally(failure));
              callNext();
            });
  }
}
