package io.preconf.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.feed.LaneEntry;
import io.preconf.core.port.LaneClaim;
import io.preconf.core.port.LaneOutcome;
import io.preconf.core.port.LanePosition;
import io.preconf.core.types.Address;
import io.preconf.core.types.Hash32;
import io.preconf.feed.sweep.LaneSweeper;
import io.preconf.infra.redis.RedisKeys;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * The node's sweeper, running as configured for tests (positions open longer than 5.5 s, swept
 * every 250 ms): a position whose request was dropped after its claim is voided once it is that
 * old, not before, and the feed steps over it at once.
 */
@QuarkusTest
@WithTestResource(FeedServers.class)
class LaneSweeperTest extends FeedTestBase {
  @Inject LaneSweeper sweeper;
  @Inject RedisKeys keys;
  @Inject Redis redis;

  @Test
  void aPositionWhoseRequestWasDroppedIsVoidedWithinTheBoundAndTheFeedStepsOverIt() {
    FeedClient live = subscribe("chainId=" + alpha);
    awaitSubscribers(node, 1);
    LaneOutcome outcome =
        lanes
            .claim(List.of(dropped()), false)
            // A cold test JVM's first read of a lane's history may outlast its timeout.
            .onFailure()
            .retry()
            .atMost(3)
            .await()
            .atMost(TestEngine.AWAIT)
            .get(0);
    LanePosition orphan = ((LaneOutcome.Assigned) outcome).position();
    long bound = sweeper.olderThan().toMillis();

    awaitTrue("the orphan to be voided", () -> isVoid(orphan));
    long voidedAfter = System.currentTimeMillis() - orphan.receivedAt();
    List<Long> next = sequences(engine().issue(alpha, 1), alpha);

    assertThat(voidedAfter).isBetween(bound, bound + 3_000);
    awaitReceived(live, alpha, 1);
    assertThat(live.sequences(alpha.value())).isEqualTo(next);
    assertThat(next.get(0)).isGreaterThan(orphan.sequence());
    assertThat(feedLog.read(alpha, orphan.sequence(), 1).await().atMost(TestEngine.AWAIT))
        .containsExactly(new LaneEntry.Void(orphan.sequence(), orphan.txHash()));
  }

  /** A claim whose request goes no further: nobody signs, records or abandons it. */
  private LaneClaim dropped() {
    byte[] tx = new byte[32];
    byte[] sender = new byte[20];
    ThreadLocalRandom.current().nextBytes(tx);
    ThreadLocalRandom.current().nextBytes(sender);
    return new LaneClaim(
        alpha, Hash32.wrap(tx), Address.wrap(sender), 0, 21_000, 1, 1_000, 1_000_000);
  }

  private boolean isVoid(LanePosition p) {
    Response r =
        redis
            .send(
                Request.cmd(Command.HGET)
                    .arg(keys.voids(p.chainId()))
                    .arg(Long.toString(p.sequence())))
            .await()
            .atMost(TestEngine.AWAIT);
    return r != null;
  }
}
