package io.preconf.infra;

import static io.preconf.core.testing.Samples.claim;
import static io.preconf.core.testing.Samples.randomAddress;
import static io.preconf.core.testing.Samples.randomHash;
import static io.preconf.core.testing.Samples.uniqueChain;
import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.error.Reason;
import io.preconf.core.limits.SenderLimitedLanes;
import io.preconf.core.port.ClaimGroup;
import io.preconf.core.port.LaneClaim;
import io.preconf.core.port.LaneOutcome;
import io.preconf.core.port.LaneOutcome.Assigned;
import io.preconf.core.port.LaneOutcome.Refused;
import io.preconf.core.port.LaneOutcome.Skipped;
import io.preconf.core.port.RateLimit;
import io.preconf.core.port.RateLimiter;
import io.preconf.core.types.Address;
import io.preconf.core.types.ChainId;
import io.preconf.infra.pg.PgPreconfirmations;
import io.preconf.infra.redis.RedisRateLimiter;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
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
  // Long enough that a busy machine cannot end a window in the middle of a test.
  private static final RateLimit LIMIT =
      new RateLimit("preconf.limits.sender-max", 3, Duration.ofSeconds(30), "transactions");
  private static final RateLimit SHORT =
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
    SenderLimitedLanes lanes = new SenderLimitedLanes(a.lanes, limiter, SHORT);
    ChainId chain = uniqueChain();
    Address sender = randomAddress();
    for (int nonce = 0; nonce < 3; nonce++) {
      lanes
          .claim(List.of(claim(chain, randomHash(), sender, nonce)), false)
          .await()
          .atMost(Adapters.AWAIT);
    }
    Duration wait =
        limiter.take(SHORT, chain + ":" + sender.toHex(), 1).await().atMost(Adapters.AWAIT);
    assertThat(wait).isPositive().isLessThanOrEqualTo(SHORT.window());

    Thread.sleep(wait.toMillis() + 50);

    assertThat(
            lanes
                .claim(List.of(claim(chain, randomHash(), sender, 3)), false)
                .await()
                .atMost(Adapters.AWAIT)
                .get(0))
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

  @Test
  void aRoundOfSeveralSendersIsCountedInOneCall() {
    ChainId chain = uniqueChain();
    Address busy = randomAddress();
    for (int nonce = 0; nonce < 3; nonce++) {
      send(false, claim(chain, randomHash(), busy, nonce));
    }
    List<List<RateLimiter.Use>> calls = new ArrayList<>();
    RateLimiter counted =
        uses -> {
          calls.add(uses);
          return limiter.take(uses);
        };
    SenderLimitedLanes round = new SenderLimitedLanes(a.lanes, counted, LIMIT);

    List<List<LaneOutcome>> o =
        round
            .claimAll(
                List.of(
                    new ClaimGroup(List.of(claim(chain, randomHash(), randomAddress(), 0)), false),
                    new ClaimGroup(List.of(claim(chain, randomHash(), busy, 3)), false),
                    new ClaimGroup(List.of(claim(chain, randomHash(), randomAddress(), 0)), false)))
            .await()
            .atMost(Adapters.AWAIT);

    assertThat(calls).hasSize(1);
    assertThat(calls.get(0)).hasSize(3);
    assertThat(o.get(0).get(0)).isInstanceOf(Assigned.class);
    assertThat(o.get(1).get(0)).isInstanceOf(Refused.class);
    // Lane positions are numbered from 1: the busy sender's three, the first newcomer's, then this
    // one, right after it, for the refused leg took none.
    assertThat(((Assigned) o.get(2).get(0)).position().sequence()).isEqualTo(5);
  }

  @Test
  void oneCallCountsEachSubjectUnderItsOwnLimitAndASubjectTwiceTwice() {
    RateLimit one =
        new RateLimit("preconf.limits.client-max", 1, Duration.ofSeconds(5), "requests");
    String sender = "sender-" + randomAddress().toHex();
    String client = "client-" + randomAddress().toHex();

    List<Duration> waits =
        limiter
            .take(
                List.of(
                    new RateLimiter.Use(LIMIT, sender, 2),
                    new RateLimiter.Use(one, client, 1),
                    new RateLimiter.Use(one, client, 1),
                    new RateLimiter.Use(LIMIT, sender, 1),
                    new RateLimiter.Use(LIMIT, sender, 1)))
            .await()
            .atMost(Adapters.AWAIT);

    assertThat(waits.get(0)).isZero();
    assertThat(waits.get(1)).isZero();
    assertThat(waits.get(2)).isPositive().isLessThanOrEqualTo(one.window());
    assertThat(waits.get(3)).isZero();
    assertThat(waits.get(4)).isPositive().isLessThanOrEqualTo(LIMIT.window());
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
