package io.preconf.infra;

import static io.preconf.core.testing.Samples.checked;
import static io.preconf.core.testing.Samples.preconfirmation;
import static io.preconf.core.testing.Samples.uniqueChain;
import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.commit.PromisedTransaction;
import io.preconf.core.crypto.EcdsaSigner;
import io.preconf.core.error.Reason;
import io.preconf.core.port.LaneOutcome;
import io.preconf.core.port.LaneOutcome.Assigned;
import io.preconf.core.port.LaneOutcome.Refused;
import io.preconf.core.port.LanePosition;
import io.preconf.core.tx.DecodedTransaction;
import io.preconf.core.tx.TransactionDecoder;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.preconf.infra.pg.PgPreconfirmations;
import io.preconf.infra.rpc.Senders;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Redis of this test's own (port {@link #REDIS_PORT}, started by servers.sh when missing) loses
 * all its data (FLUSHALL): the senders' reservations of promises not yet included come back from
 * PostgreSQL with their lane, so that a second spend of a sender's balance or nonce is refused with
 * the same code as before the loss.
 */
@QuarkusTest
@WithTestResource(LocalServers.class)
class ReservationRecoveryTest {
  private static final int REDIS_PORT = 6431;
  private static final long HOLD_MS = 3_600_000;

  @Inject Vertx vertx;
  @Inject PgPreconfirmations pg;

  private Redis own;

  @BeforeEach
  void ownRedis() {
    // The shared PostgreSQL answers already and is reused; only the Redis is this test's own.
    assertThat(LocalServers.run(REDIS_PORT, 5439, "start")).isZero();
    own = Redis.createClient(vertx, "redis://127.0.0.1:" + REDIS_PORT);
  }

  @AfterEach
  void close() {
    own.close();
  }

  /**
   * Stops the Redis this test started, whatever the test's outcome: nobody else reuses it, and one
   * left running would outlive the checkout whose run folder holds its data. One this test did not
   * start (left by an earlier checkout) is left alone: servers.sh has no marker for it.
   */
  @AfterAll
  static void stopOwnRedis() {
    LocalServers.run(REDIS_PORT, 5439, "stop-redis");
  }

  private record Signed(Bytes bytes, DecodedTransaction tx) {
    static Signed transfer(ChainId chain, EcdsaSigner from, long nonce, long wei) {
      Bytes b = Senders.transfer(chain, from, nonce, wei);
      return new Signed(b, TransactionDecoder.decode(b).value());
    }
  }

  private static LaneOutcome claim(
      Adapters a, ChainId chain, Signed s, Address sender, BigInteger balance) {
    return a.lanes
        .claim(
            List.of(
                checked(
                    chain,
                    s.tx().txHash(),
                    sender,
                    s.tx().nonce(),
                    0,
                    balance,
                    s.tx().maxCostWei(),
                    HOLD_MS)),
            false)
        .await()
        .atMost(Adapters.AWAIT)
        .get(0);
  }

  private static Reason refusal(LaneOutcome o) {
    assertThat(o).isInstanceOf(Refused.class);
    return ((Refused) o).rejection().reason();
  }

  @Test
  void aSecondSpendIsRefusedAfterRedisLostItsDataWithTheSameCodeAsBefore() {
    ChainId chain = uniqueChain();
    String prefix = Fixtures.uniquePrefix();
    EcdsaSigner signer = Senders.fresh();
    Address sender = signer.address();
    Signed first = Signed.transfer(chain, signer, 0, 1);
    Signed second = Signed.transfer(chain, signer, 1, 1);
    // The balance covers the two promises, not a third.
    BigInteger balance = first.tx().maxCostWei().add(second.tx().maxCostWei());
    Adapters before = new Adapters(own, "127.0.0.1:" + REDIS_PORT, pg, prefix);

    for (Signed s : List.of(first, second)) {
      LaneOutcome o = claim(before, chain, s, sender, balance);
      assertThat(o).isInstanceOf(Assigned.class);
      LanePosition pos = ((Assigned) o).position();
      before
          .store
          .record(
              List.of(
                  new PromisedTransaction(preconfirmation(pos, sender, s.tx().nonce()), s.bytes())))
          .await()
          .atMost(Adapters.AWAIT);
    }
    Signed third = Signed.transfer(chain, signer, 2, 1);
    // Another transaction for nonce 1: a second spend of it.
    Signed otherSecond = Signed.transfer(chain, signer, 1, 2);
    Reason overspendBefore = refusal(claim(before, chain, third, sender, balance));
    Reason nonceBefore = refusal(claim(before, chain, otherSecond, sender, balance));
    assertThat(overspendBefore).isEqualTo(Reason.INSUFFICIENT_BALANCE);
    assertThat(nonceBefore).isEqualTo(Reason.NONCE_CONFLICT);

    own.send(Request.cmd(Command.FLUSHALL)).await().atMost(Adapters.AWAIT);
    assertThat(before.contents()).isEmpty();

    Adapters after = new Adapters(own, "127.0.0.1:" + REDIS_PORT, pg, prefix);
    LaneOutcome overspend = claim(after, chain, third, sender, balance);
    assertThat(refusal(overspend)).isEqualTo(overspendBefore);
    assertThat(((Refused) overspend).rejection().message())
        .as("names the restored promises' cost")
        .contains(balance.toString(), "2 promised and not yet included");
    assertThat(refusal(claim(after, chain, otherSecond, sender, balance))).isEqualTo(nonceBefore);
    assertThat(after.command("HLEN", after.keys.held(chain, sender))).isEqualTo("2");

    // With the balance for a third, the sender's next nonce is 2, as before the loss.
    LaneOutcome next = claim(after, chain, third, sender, balance.add(third.tx().maxCostWei()));
    assertThat(next).isInstanceOf(Assigned.class);
    Hash32 heldThird = third.tx().txHash();
    assertThat(after.command("HGET", after.keys.held(chain, sender), "2"))
        .startsWith(heldThird.toHex());
  }
}
