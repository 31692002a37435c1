package io.preconf.infra;

import static io.preconf.core.testing.Samples.claim;
import static io.preconf.core.testing.Samples.preconfirmation;
import static io.preconf.core.testing.Samples.randomAddress;
import static io.preconf.core.testing.Samples.randomHash;
import static io.preconf.core.testing.Samples.uniqueChain;
import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.error.Reason;
import io.preconf.core.port.LaneOutcome;
import io.preconf.core.port.LaneOutcome.AlreadyPreconfirmed;
import io.preconf.core.port.LaneOutcome.Assigned;
import io.preconf.core.port.LaneOutcome.Refused;
import io.preconf.core.port.LanePosition;
import io.preconf.core.testing.Samples;
import io.preconf.core.types.Address;
import io.preconf.core.types.ChainId;
import io.preconf.infra.pg.PgPreconfirmations;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Redis lost this engine's data (all keys under its prefix): lanes come back from PostgreSQL. */
@QuarkusTest
@WithTestResource(LocalServers.class)
class LaneRecoveryTest {
  @Inject Redis redis;
  @Inject PgPreconfirmations pg;

  private static LanePosition assigned(LaneOutcome o) {
    assertThat(o).isInstanceOf(Assigned.class);
    return ((Assigned) o).position();
  }

  @Test
  void laneHeadsVoidPositionsAndClaimsAreRestoredFromPostgres() {
    String prefix = Fixtures.uniquePrefix();
    Adapters before = new Adapters(redis, "127.0.0.1:6390", pg, prefix);
    ChainId chain = uniqueChain();
    List<Preconfirmation> recorded = new ArrayList<>();
    Address sender = randomAddress();
    for (int i = 0; i < 3; i++) {
      LanePosition pos =
          assigned(
              before
                  .lanes
                  .claim(List.of(claim(chain, randomHash(), sender, i)), false)
                  .await()
                  .atMost(Adapters.AWAIT)
                  .get(0));
      if (i == 0) {
        // Recorded longer ago than the claim TTL: its claims would have lapsed from Redis.
        pos =
            new LanePosition(
                chain,
                pos.txHash(),
                pos.sequence(),
                pos.previous(),
                pos.receivedAt() - Adapters.CLAIM_TTL.toMillis() - 60_000);
      }
      recorded.add(preconfirmation(pos, sender, i));
    }
    before.store.record(Samples.kept(recorded)).await().atMost(Adapters.AWAIT);
    LanePosition lost =
        assigned(
            before
                .lanes
                .claim(List.of(claim(chain, randomHash(), sender, 3)), false)
                .await()
                .atMost(Adapters.AWAIT)
                .get(0));
    before.lanes.abandon(List.of(lost)).await().atMost(Adapters.AWAIT);

    before.forgetRedisData();
    Adapters after = new Adapters(redis, "127.0.0.1:6390", pg, prefix);
    List<LaneOutcome> o =
        after
            .lanes
            .claim(
                List.of(
                    claim(chain, randomHash(), randomAddress(), 0),
                    claim(chain, recorded.get(1).txHash(), sender, 1),
                    claim(chain, randomHash(), sender, 2),
                    claim(chain, recorded.get(0).txHash(), sender, 0)),
                false)
            .await()
            .atMost(Adapters.AWAIT);

    LanePosition next = assigned(o.get(0));
    assertThat(next.sequence()).isEqualTo(5); // 1-3 recorded, 4 void: never handed out again
    assertThat(next.previous()).isEqualTo(lost.txHash());
    assertThat(next.receivedAt()).isGreaterThanOrEqualTo(lost.receivedAt());
    assertThat(o.get(1)).isInstanceOf(AlreadyPreconfirmed.class);
    assertThat(((Refused) o.get(2)).rejection().reason()).isEqualTo(Reason.NONCE_CONFLICT);
    assertThat(((Refused) o.get(2)).rejection().message())
        .contains(recorded.get(2).txHash().toHex(), "at sequence 3");
    // Claims older than the TTL are not restored: PostgreSQL refuses their duplicates itself.
    assertThat(o.get(3)).isInstanceOf(Assigned.class);
    // The slot counts the two restored promises and the two new ones (not the void, nor the one
    // recorded before the TTL).
    assertThat(after.command("HGET", after.keys.slot(chain, Samples.SLOT), "n")).isEqualTo("4");
    // Restored claims lapse like fresh ones: a restore does not fill Redis for good.
    assertThat(ttlSeconds(after, after.keys.tx(chain, recorded.get(1).txHash())))
        .isBetween(Adapters.CLAIM_TTL.toSeconds() - 60, Adapters.CLAIM_TTL.toSeconds());
    assertThat(ttlSeconds(after, after.keys.nonce(chain, sender, 1)))
        .isBetween(Adapters.CLAIM_TTL.toSeconds() - 60, Adapters.CLAIM_TTL.toSeconds());
  }

  private static long ttlSeconds(Adapters a, String key) {
    return Long.parseLong(a.command("TTL", key));
  }
}
