package io.preconf.core.testing;

import io.preconf.core.commit.Status;
import io.preconf.core.commit.StatusChange;
import io.preconf.core.delivery.DeliveryLease;
import io.preconf.core.delivery.DeliveryLedger;
import io.preconf.core.port.Clock;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The delivery ports in memory: a lease that expires on the given clock, and a ledger of cursors,
 * fences and DELIVERY_FAILED marks, fenced as the real one is.
 */
public final class InMemoryDelivery implements DeliveryLease, DeliveryLedger {
  private record Lease(String holder, long until) {}

  private final Clock clock;
  private final Map<ChainId, Lease> leases = new HashMap<>();
  private final Map<ChainId, Cursor> cursors = new HashMap<>();
  private final Map<Hash32, StatusChange> failed = new HashMap<>();
  private final Map<Hash32, Status> statuses = new HashMap<>();

  public InMemoryDelivery(Clock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized Uni<Boolean> hold(ChainId chain, String holder, Duration ttl) {
    Lease held = leases.get(chain);
    long now = clock.nowMillis();
    if (held != null && held.until() > now && !held.holder().equals(holder)) {
      return Uni.createFrom().item(false);
    }
    leases.put(chain, new Lease(holder, now + ttl.toMillis()));
    return Uni.createFrom().item(true);
  }

  @Override
  public synchronized Uni<Void> release(ChainId chain, String holder) {
    Lease held = leases.get(chain);
    if (held != null && held.holder().equals(holder)) {
      leases.remove(chain);
    }
    return Uni.createFrom().voidItem();
  }

  @Override
  public synchronized Uni<Cursor> takeOver(ChainId chain) {
    Cursor was = cursors.getOrDefault(chain, new Cursor(0, 0));
    Cursor now = new Cursor(was.fence() + 1, was.deliveredThrough());
    cursors.put(chain, now);
    return Uni.createFrom().item(now);
  }

  @Override
  public synchronized Uni<Write> advance(ChainId chain, long fence, long deliveredThrough) {
    Cursor c = cursors.get(chain);
    if (c == null || c.fence() != fence) {
      return Uni.createFrom().item(Write.FENCED_OUT);
    }
    cursors.put(chain, new Cursor(fence, Math.max(c.deliveredThrough(), deliveredThrough)));
    return Uni.createFrom().item(Write.DONE);
  }

  @Override
  public synchronized Uni<Marked> markFailed(long fence, StatusChange change) {
    if (advance(change.chainId(), fence, change.sequence()).await().indefinitely()
        == Write.FENCED_OUT) {
      return Uni.createFrom().item(Marked.FENCED_OUT);
    }
    if (statuses.getOrDefault(change.txHash(), Status.PRECONFIRMED) != Status.PRECONFIRMED) {
      return Uni.createFrom().item(Marked.KEPT_STATUS);
    }
    statuses.put(change.txHash(), change.status());
    failed.put(change.txHash(), change);
    return Uni.createFrom().item(Marked.MARKED);
  }

  /** Sets a promise's status, as the reconciliation would. */
  public synchronized void status(Hash32 tx, Status status) {
    statuses.put(tx, status);
  }

  public synchronized long deliveredThrough(ChainId chain) {
    return cursors.getOrDefault(chain, new Cursor(0, 0)).deliveredThrough();
  }

  public synchronized long fence(ChainId chain) {
    return cursors.getOrDefault(chain, new Cursor(0, 0)).fence();
  }

  public synchronized Map<Hash32, StatusChange> failed() {
    return Map.copyOf(failed);
  }
}
