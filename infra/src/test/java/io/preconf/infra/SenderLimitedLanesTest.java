package io.preconf.infra;

import static io.preconf.core.testing.Samples.claim;
import static io.preconf.core.testing.Samples.randomAddress;
import static io.preconf.core.testing.Samples.randomHash;
import static io.preconf.core.testing.Samples.uniqueChain;
import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.error.Reason;
import io.preconf.core.limits.SenderLimitedLanes;
import io.preconf.core.port.LaneClaim;
import io.preconf.core.port.LaneOutcome;
import io.preconf.core.port.LaneOutcome.Assigned;
import io.preconf.core.port.LaneOutcome.Refused;
import io.preconf.core.port.LaneOutcome.Skipped;
import io.preconf.core.port.RateLimit;
import io.preconf.core.types.Address;
import io.preconf.core.types.ChainId;
import io.preconf.infra.pg.PgPreconfirmations;
import io.preconf.infra.redis.RedisRateLimiter;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The per-sender limit in front of the Redis lanes: counted in Redis ({@code limit.lua}), refused
 * before the claim, so that a refusal takes no position.
 */
@QuarkusTest
@WithTestResource(LocalServers.class)
class SenderLimitedLanesTest {
  private static final RateLimit LIMIT =
      new RateLimit("preconf.limits.sender-max", 3, Duration.ofMillis(1500), "transactions");

  @Inject Redis redis;
  @Inject PgPreconfirmations pg;

  Adapters a;
  RedisRateLimiter limiter;
  SenderLimitedLanes lanes;

  @BeforeEach
  void ownPrefix() {
    a = new Adapters(redis, "127.0.0.1:6390", pg, Fixtures.uniquePrefix());
    limiter = new RedisRateLimiter(a.redis, a.keys);
    lanes = new SenderLimitedLanes(a.lanes, limiter, LIMIT);
    pg.snapshot(uniqueChain(), 0).onFailure().retry().atMost(5).await().atMost(Adapters.AWAIT);
  }

  @Test
  void aBurstOverTheSenderLimitIsRefusedWithoutTakingAPosition() {
    ChainId chain = uniqueChain();
    Address sender = randomAddress();
    for (int nonce = 0; nonce < 3; nonce++) {
      assertThat(send(false, claim(chain, randomHash(), sender, nonce)).get(0))
          .isInstanceOf(Assigned.class);
    }
    Map<String, String> before = a.contents();

    LaneOutcome over = send(false, claim(chain, randomHash(), sender, 3)).get(0);

    assertThat(over).isInstanceOf(Refused.class);
    Refused refused = (Refused) over;
    assertThat(refused.rejection().reason()).isEqualTo(Reason.RATE_LIMITED);
    assertThat(refused.rejection().message())
        .contains("sender " + sender, "chain " + chain, "preconf.limits.sender-max", "retry after");
    assertThat(withoutCounts(a.contents())).isEqualTo(withoutCounts(before));
  }

  @Test
  void anotherSenderIsUnaffectedAndTheNextPositionFollowsOn() {
    ChainId chain = uniqueChain();
    Address busy = randomAddress();
    for (int nonce = 0; nonce < 4; nonce++) {
      send(false, claim(chain, randomHash(), busy, nonce));
    }

    LaneOutcome other = send(false, claim(chain, randomHash(), randomAddress(), 0)).get(0);

    assertThat(other).isInstanceOf(Assigned.class);
    assertThat(((Assigned) other).position().sequence()).isEqualTo(4);
  }

  @Test
  void aSendersLimitIsPerRollup() {
    Address sender = randomAddress();
    ChainId one = uniqueChain();
    for (int nonce = 0; nonce < 4; nonce++) {
      send(false, claim(one, randomHash(), sender, nonce));
    }

    assertThat(send(false, claim(uniqueChain(), randomHash(), sender, 0)).get(0))
        .isInstanceOf(Assigned.class);
  }

  @Test
  void theWindowRefills() throws InterruptedException {
    ChainId chain = uniqueChain();
    Address sender = randomAddress();
    for (int nonce = 0; nonce < 3; nonce++) {
      send(false, claim(chain, randomHash(), sender, nonce));
    }
    Duration wait =
        limiter.take(LIMIT, chain + ":" + sender.toHex(), 1).await().atMost(Adapters.AWAIT);
    assertThat(wait).isPositive().isLessThanOrEqualTo(LIMIT.window());

    Thread.sleep(wait.toMillis() + 50);

    assertThat(send(false, claim(chain, randomHash(), sender, 3)).get(0))
        .isInstanceOf(Assigned.class);
  }

  @Test
  void anAtomicRequestWithALimitedSenderClaimsNothing() {
    ChainId chain = uniqueChain();
    Address busy = randomAddress();
    for (int nonce = 0; nonce < 3; nonce++) {
      send(false, claim(chain, randomHash(), busy, nonce));
    }
    Map<String, String> before = a.contents();

    List<LaneOutcome> o =
        send(
            true,
            claim(chain, randomHash(), randomAddress(), 0),
            claim(chain, randomHash(), busy, 3));

    assertThat(o.get(0)).isInstanceOf(Skipped.class);
    assertThat(o.get(1)).isInstanceOf(Refused.class);
    assertThat(withoutCounts(a.contents())).isEqualTo(withoutCounts(before));
  }

  @Test
  void aRequestCountsEachOfASendersLegs() {
    ChainId chain = uniqueChain();
    Address sender = randomAddress();
    Address other = randomAddress();

    List<LaneOutcome> o =
        send(
            false,
            claim(chain, randomHash(), sender, 0),
            claim(chain, randomHash(), other, 0),
            claim(chain, randomHash(), sender, 1),
            claim(chain, randomHash(), sender, 2),
            claim(chain, randomHash(), sender, 3));

    assertThat(o.get(0)).isInstanceOf(Refused.class);
    assertThat(o.get(1)).isInstanceOf(Assigned.class);
    assertThat(o.get(4)).isInstanceOf(Refused.class);
    assertThat(((Assigned) o.get(1)).position().sequence()).isEqualTo(1);
  }

  private List<LaneOutcome> send(boolean atomic, LaneClaim... claims) {
    return lanes.claim(List.of(claims), atomic).await().atMost(Adapters.AWAIT);
  }

  /** The lanes' keys, without the limit's own counts. */
  private Map<String, String> withoutCounts(Map<String, String> contents) {
    Map<String, String> out = new TreeMap<>(contents);
    out.keySet().removeIf(k -> k.startsWith(a.keys.prefix() + "limit:"));
    return out;
  }
}
