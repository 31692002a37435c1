package io.preconf.functions.ops;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.preconf.core.error.Reason;
import io.preconf.core.metrics.EngineCounters;
import io.preconf.core.reconcile.Reconciliation;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Prometheus metrics: requests and latency histograms per function, and the engine's counters
 * (preconfirmations generated, validations by outcome, rejections by reason), and the reorgs beyond
 * finality a followed node made.
 */
@ApplicationScoped
public class FunctionMetrics {
  @Inject MeterRegistry registry;
  @Inject EngineCounters counters;
  @Inject Reconciliation reconciliation;

  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

  void bind(@Observes StartupEvent start) {
    FunctionCounter.builder("preconf.generated", counters, EngineCounters::generated)
        .description("preconfirmations issued")
        .register(registry);
    FunctionCounter.builder("preconf.validated", counters, EngineCounters::validatedValid)
        .tag("valid", "true")
        .register(registry);
    FunctionCounter.builder("preconf.validated", counters, EngineCounters::validatedInvalid)
        .tag("valid", "false")
        .register(registry);
    FunctionCounter.builder("preconf.signature.checks", counters, EngineCounters::signatureChecks)
        .description("commitment signatures verified from scratch (not from the verified cache)")
        .register(registry);
    FunctionCounter.builder("preconf.rounds", counters, EngineCounters::rounds)
        .description("rounds of group commit: one lane call, signature, record, publish each")
        .register(registry);
    FunctionCounter.builder("preconf.round.requests", counters, EngineCounters::roundRequests)
        .description("requests the rounds took; divided by preconf.rounds, the mean round size")
        .register(registry);
    FunctionCounter.builder("preconf.round.transactions", counters, EngineCounters::roundLegs)
        .description("transactions the rounds took to the lanes")
        .register(registry);
    FunctionCounter.builder(
            "preconf.reorgs.beyond.finality", reconciliation, Reconciliation::reorgsBeyondFinality)
        .description("reorgs deeper than the finality depth taken from a followed node")
        .register(registry);
    for (Reason reason : Reason.values()) {
      FunctionCounter.builder("preconf.rejected", counters, c -> c.rejectedCount(reason))
          .tag("reason", reason.name())
          .register(registry);
    }
  }

  /** Times {@code work} as one request of {@code function}. */
  public <T> Uni<T> timed(String function, Uni<T> work) {
    Timer timer =
        timers.computeIfAbsent(
            function,
            f ->
                Timer.builder("preconf.function")
                    .description("function latency")
                    .tag("function", f)
                    .publishPercentileHistogram()
                    .register(registry));
    return Uni.createFrom()
        .deferred(
            () -> {
              long start = System.nanoTime();
              return work.onTermination()
                  .invoke(
                      () ->
                          timer.record(
                              System.nanoTime() - start,
                              java.util.concurrent.TimeUnit.NANOSECONDS));
            });
  }
}
