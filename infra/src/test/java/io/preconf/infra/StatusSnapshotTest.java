package io.preconf.infra;

import static io.preconf.core.testing.Samples.claim;
import static io.preconf.core.testing.Samples.preconfirmation;
import static io.preconf.core.testing.Samples.randomAddress;
import static io.preconf.core.testing.Samples.randomHash;
import static io.preconf.core.testing.Samples.uniqueChain;
import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.commit.Status;
import io.preconf.core.error.Result;
import io.preconf.core.port.Clock;
import io.preconf.core.port.LaneOutcome.Assigned;
import io.preconf.core.rollup.Rollups;
import io.preconf.core.status.PromiseStatus;
import io.preconf.core.status.StatusLookup;
import io.preconf.core.status.StatusRequest;
import io.preconf.core.testing.EngineFixture;
import io.preconf.core.testing.Samples;
import io.preconf.core.types.Address;
import io.preconf.core.types.ChainId;
import io.preconf.infra.pg.PgPreconfirmations;
import io.preconf.infra.pg.PgStatusQuery;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Status answers from one snapshot of PostgreSQL: while the block follower turns a promise VIOLATED
 * and records the violation in one transaction (and another transaction takes both back), no status
 * answer may show one half of that change without the other.
 */
@QuarkusTest
@WithTestResource(LocalServers.class)
class StatusSnapshotTest {
  private static final int READERS = 3;
  private static final int READS_EACH = 200;

  @Inject Redis redis;
  @Inject PgPreconfirmations pg;
  @Inject Pool pool;
  @Inject PgStatusQuery statuses;

  @Test
  void aStatusNeverShowsHalfOfAViolationBeingRecorded() throws Exception {
    ChainId chain = uniqueChain();
    Preconfirmation p = recordedPromise(chain);
    StatusLookup lookup =
        new StatusLookup(
            Rollups.of(List.of(EngineFixture.rollup(chain, "snapshot", 1_000, 30_000_000))),
            statuses,
            Clock.SYSTEM);
    StatusRequest request = new StatusRequest(chain.value(), Result.ok(p.txHash()));

    AtomicBoolean reading = new AtomicBoolean(true);
    AtomicInteger flips = new AtomicInteger();
    Map<Status, AtomicInteger> seen = new ConcurrentHashMap<>();
    List<String> torn = Collections.synchronizedList(new ArrayList<>());
    ExecutorService threads = Executors.newFixedThreadPool(READERS + 1);
    try {
      Future<?> writer =
          threads.submit(
              () -> {
                while (reading.get()) {
                  flip(p, flips.getAndIncrement() % 2 == 0);
                }
              });
      List<Future<?>> readers = new ArrayList<>();
      for (int r = 0; r < READERS; r++) {
        readers.add(
            threads.submit(
                () -> {
                  for (int i = 0; i < READS_EACH; i++) {
                    PromiseStatus.Found found =
                        (PromiseStatus.Found) lookup.status(request).await().atMost(Adapters.AWAIT);
                    seen.computeIfAbsent(found.status(), s -> new AtomicInteger())
                        .incrementAndGet();
                    String why = tornBy(found);
                    if (why != null) {
                      torn.add(why);
                    }
                  }
                }));
      }
      for (Future<?> r : readers) {
        r.get();
      }
      reading.set(false);
      writer.get();
    } finally {
      reading.set(false);
      threads.shutdown();
    }

    assertThat(seen.keySet())
        .as("the writer flipped %s times while %s reads ran", flips.get(), READERS * READS_EACH)
        .containsExactlyInAnyOrder(Status.PRECONFIRMED, Status.VIOLATED);
    assertThat(torn).as("answers showing half of a change").isEmpty();
  }

  /** What makes an answer inconsistent, or null when it is not. */
  private static String tornBy(PromiseStatus.Found found) {
    long active = found.violations().stream().filter(v -> !v.retracted()).count();
    if (found.status() == Status.PRECONFIRMED && active > 0) {
      return "PRECONFIRMED with " + active + " active violation(s)";
    }
    if (found.status() == Status.VIOLATED && active == 0) {
      return "VIOLATED with no active violation";
    }
    return null;
  }

  private Preconfirmation recordedPromise(ChainId chain) {
    Adapters a = new Adapters(redis, "127.0.0.1:6390", pg, Fixtures.uniquePrefix());
    Address sender = randomAddress();
    Assigned assigned =
        (Assigned)
            a.lanes
                .claim(List.of(claim(chain, randomHash(), sender, 0)), false)
                .await()
                .atMost(Adapters.AWAIT)
                .get(0);
    Preconfirmation p = preconfirmation(assigned.position(), sender, 0);
    a.store.record(Samples.kept(List.of(p))).await().atMost(Adapters.AWAIT);
    return p;
  }

  /**
   * One transaction, as the block follower writes a violation (status and violations row together),
   * or one that takes both back (deleting the row, so that rows do not pile up over the loop).
   */
  private void flip(Preconfirmation p, boolean violate) {
    String id = p.id().toHex();
    pool.withTransaction(
            c ->
                c.preparedQuery("update preconfirmations set status = $1 where id = $2")
                    .execute(Tuple.of((violate ? Status.VIOLATED : Status.PRECONFIRMED).name(), id))
                    .chain(
                        () ->
                            violate
                                ? c.preparedQuery(
                                        "insert into violations (preconfirmation_id, kind, detail,"
                                            + " chain_id, block_hash, evidence)"
                                            + " values ($1, 'ORDER_REVERSED', 'flipped', $2, $3,"
                                            + " '{}')")
                                    .execute(
                                        Tuple.of(id, p.chainId().value(), randomHash().toHex()))
                                : c.preparedQuery(
                                        "delete from violations where preconfirmation_id = $1")
                                    .execute(Tuple.of(id))))
        .await()
        .atMost(Adapters.AWAIT);
  }
}
