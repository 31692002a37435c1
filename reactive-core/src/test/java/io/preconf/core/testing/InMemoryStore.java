package io.preconf.core.testing;

import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.port.FeedPublisher;
import io.preconf.core.port.PreconfirmationStore;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The store and feed ports in memory, for the core's own tests and benchmarks only. The real
 * adapters are PostgreSQL and Redis in {@code infra}.
 */
public final class InMemoryStore implements PreconfirmationStore, FeedPublisher {
  private final Map<String, Preconfirmation> records = new ConcurrentHashMap<>();
  private final List<Preconfirmation> published = new CopyOnWriteArrayList<>();
  private volatile RuntimeException outage;

  public void failWith(RuntimeException failure) {
    this.outage = failure;
  }

  public int size() {
    return records.size();
  }

  public List<Preconfirmation> published() {
    return List.copyOf(published);
  }

  @Override
  public Uni<Void> record(List<Preconfirmation> issued) {
    RuntimeException down = outage;
    if (down != null) {
      return Uni.createFrom().failure(down);
    }
    for (Preconfirmation p : issued) {
      records.put(p.chainId() + ":" + p.txHash(), p);
    }
    return Uni.createFrom().voidItem();
  }

  @Override
  public Uni<Optional<Preconfirmation>> find(ChainId chainId, Hash32 txHash) {
    return Uni.createFrom().item(Optional.ofNullable(records.get(chainId + ":" + txHash)));
  }

  @Override
  public Uni<Void> publish(List<Preconfirmation> issued) {
    published.addAll(issued);
    return Uni.createFrom().voidItem();
  }
}
