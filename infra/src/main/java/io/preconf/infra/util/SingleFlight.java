package io.preconf.infra.util;

import io.smallrye.mutiny.Uni;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/**
 * Callers asking for the same key while a call for it is in flight share that call instead of
 * making their own. Under a burst (a thousand submissions of one transaction all waiting for its
 * record) this turns a thousand identical backend reads into one.
 */
public final class SingleFlight<K, V> {
  private final ConcurrentMap<K, CompletableFuture<Uni<V>>> inFlight = new ConcurrentHashMap<>();

  public Uni<V> run(K key, Function<K, Uni<V>> call) {
    return Uni.createFrom()
        .deferred(
            () -> {
              CompletableFuture<Uni<V>> mine = new CompletableFuture<>();
              CompletableFuture<Uni<V>> running = inFlight.putIfAbsent(key, mine);
              if (running != null) {
                return Uni.createFrom().completionStage(running).chain(u -> u);
              }
              Uni<V> shared =
                  call.apply(key)
                      .onTermination()
                      .invoke(() -> inFlight.remove(key, mine))
                      .memoize()
                      .indefinitely();
              mine.complete(shared);
              return shared;
            });
  }
}
