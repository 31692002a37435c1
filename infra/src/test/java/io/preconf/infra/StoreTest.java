package io.preconf.infra;

import static io.preconf.infra.Fixtures.claim;
import static io.preconf.infra.Fixtures.preconfirmation;
import static io.preconf.infra.Fixtures.randomAddress;
import static io.preconf.infra.Fixtures.randomHash;
import static io.preconf.infra.Fixtures.uniqueChain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.preconf.core.commit.Leaf;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.commit.Status;
import io.preconf.core.commit.TrackedPreconfirmation;
import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.RejectedException;
import io.preconf.core.port.LaneOutcome.Assigned;
import io.preconf.core.port.LanePosition;
import io.preconf.core.types.Address;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.preconf.infra.pg.PgPreconfirmations;
import io.preconf.infra.pg.PgStatusQuery;
import io.preconf.wire.PreconfirmationCodec;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(LocalServers.class)
class StoreTest {
  @Inject Redis redis;
  @Inject PgPreconfirmations pg;
  @Inject PgStatusQuery status;

  Adapters a;

  @BeforeEach
  void ownPrefix() {
    a = new Adapters(redis, "127.0.0.1:6390", pg, Fixtures.uniquePrefix());
  }

  private Preconfirmation issue(ChainId chain, Address sender, long nonce) {
    LanePosition pos =
        ((Assigned)
                a.lanes
                    .claim(List.of(claim(chain, randomHash(), sender, nonce)), false)
                    .await()
                    .atMost(Adapters.AWAIT)
                    .get(0))
            .position();
    return preconfirmation(pos, sender, nonce);
  }

  /** {@code p} as a forger would write it: another sender, nonce or lane position. */
  private static Preconfirmation rewritten(
      Preconfirmation p, Address sender, long nonce, long sequence, Hash32 previous) {
    return new Preconfirmation(
        p.id(),
        new Leaf(
            p.chainId(),
            p.txHash(),
            sender,
            nonce,
            sequence,
            previous,
            p.leaf().receivedAt(),
            p.leaf().targetSlot()),
        List.of(),
        p.commitment());
  }

  @Test
  void recordedPreconfirmationIsFoundInTheCacheAndInPostgres() {
    Preconfirmation p = issue(uniqueChain(), randomAddress(), 0);

    a.store.record(List.of(p)).await().atMost(Adapters.AWAIT);

    assertThat(a.store.find(p.chainId(), p.txHash()).await().atMost(Adapters.AWAIT)).contains(p);
    assertThat(a.cache.get(p.chainId(), p.txHash()).await().atMost(Adapters.AWAIT)).contains(p);
    assertThat(pg.find(p.chainId(), p.txHash()).await().atMost(Adapters.AWAIT)).contains(p);
    long ttl = Long.parseLong(a.command("PTTL", a.keys.cached(p.chainId(), p.txHash())));
    assertThat(ttl).isBetween(3_500_000L, 3_600_000L);
  }

  @Test
  void aCacheMissIsReadFromPostgresAndFillsTheCache() {
    Preconfirmation p = issue(uniqueChain(), randomAddress(), 0);
    a.store.record(List.of(p)).await().atMost(Adapters.AWAIT);
    a.command("DEL", a.keys.cached(p.chainId(), p.txHash()));

    Optional<Preconfirmation> found =
        a.store.find(p.chainId(), p.txHash()).await().atMost(Adapters.AWAIT);

    assertThat(found).contains(p);
    assertThat(a.command("GET", a.keys.cached(p.chainId(), p.txHash())))
        .isEqualTo(PreconfirmationCodec.toJson(p));
  }

  @Test
  void anUnknownTransactionIsNotFound() {
    assertThat(a.store.find(uniqueChain(), randomHash()).await().atMost(Adapters.AWAIT)).isEmpty();
  }

  @Test
  void recordingTheSamePreconfirmationsAgainChangesNothing() {
    Preconfirmation p = issue(uniqueChain(), randomAddress(), 0);
    a.store.record(List.of(p)).await().atMost(Adapters.AWAIT);

    a.store.record(List.of(p)).await().atMost(Adapters.AWAIT);

    assertThat(pg.lane(p.chainId(), 1, 10).await().atMost(Adapters.AWAIT)).containsExactly(p);
  }

  @Test
  void postgresRefusesASecondPromiseForTheSameSenderAndNonce() {
    ChainId chain = uniqueChain();
    Address sender = randomAddress();
    Preconfirmation first = issue(chain, sender, 4);
    a.store.record(List.of(first)).await().atMost(Adapters.AWAIT);
    // A second promise that got past the lanes (it cannot; the table is the last line).
    Preconfirmation second = issue(chain, randomAddress(), 4);
    Preconfirmation forged =
        rewritten(second, sender, 4, second.sequence(), second.leaf().previous());

    assertThatThrownBy(() -> a.store.record(List.of(forged)).await().atMost(Adapters.AWAIT))
        .isInstanceOfSatisfying(
            RejectedException.class,
            e -> {
              assertThat(e.rejection().reason()).isEqualTo(Reason.NONCE_CONFLICT);
              assertThat(e.getMessage()).contains("preconfirmations_nonce_unique");
            });
    assertThat(pg.find(chain, second.txHash()).await().atMost(Adapters.AWAIT)).isEmpty();
  }

  @Test
  void aSecondPromiseAtARecordedLanePositionIsTheEnginesOwnErrorNamingTheConstraint() {
    ChainId chain = uniqueChain();
    Preconfirmation first = issue(chain, randomAddress(), 0);
    a.store.record(List.of(first)).await().atMost(Adapters.AWAIT);
    // The lanes never hand a position out twice; only the table stands behind them here.
    Preconfirmation other = issue(chain, randomAddress(), 0);
    Preconfirmation samePosition =
        rewritten(other, other.leaf().sender(), 0, first.sequence(), first.leaf().previous());

    assertThatThrownBy(() -> a.store.record(List.of(samePosition)).await().atMost(Adapters.AWAIT))
        .isInstanceOfSatisfying(
            RejectedException.class,
            e -> {
              assertThat(e.rejection().code()).isEqualTo(ErrorCode.STORAGE_FAILED);
              assertThat(e.rejection().reason()).isEqualTo(Reason.INTERNAL_ERROR);
              assertThat(e.getMessage()).contains("preconfirmations_sequence_unique");
            });
  }

  @Test
  void allRowsOfACommitmentAreRecordedOrNone() {
    ChainId chain = uniqueChain();
    Preconfirmation ok = issue(chain, randomAddress(), 0);
    Preconfirmation clash = issue(chain, randomAddress(), 0);
    a.store.record(List.of(clash)).await().atMost(Adapters.AWAIT);
    Preconfirmation sameTx =
        new Preconfirmation(randomHash(), clash.leaf(), List.of(), clash.commitment());

    assertThatThrownBy(() -> a.store.record(List.of(ok, sameTx)).await().atMost(Adapters.AWAIT))
        .isInstanceOf(RejectedException.class);

    assertThat(pg.find(chain, ok.txHash()).await().atMost(Adapters.AWAIT)).isEmpty();
  }

  @Test
  void statusQueryGivesTheStoredPromiseAndItsStatus() {
    Preconfirmation p = issue(uniqueChain(), randomAddress(), 0);
    a.store.record(List.of(p)).await().atMost(Adapters.AWAIT);

    Optional<TrackedPreconfirmation> t =
        status.find(p.chainId(), p.txHash()).await().atMost(Adapters.AWAIT);

    assertThat(t).isPresent();
    assertThat(t.get().preconfirmation()).isEqualTo(p);
    assertThat(t.get().status()).isEqualTo(Status.PRECONFIRMED);
    assertThat(t.get().finality()).isNull();
  }

  @Test
  void statusQueryNamesTheVoidedSequenceOfAnAbandonedTransaction() {
    ChainId chain = uniqueChain();
    Preconfirmation p = issue(chain, randomAddress(), 0);
    LanePosition pos =
        new LanePosition(
            chain, p.txHash(), p.sequence(), p.leaf().previous(), p.leaf().receivedAt());

    a.lanes.abandon(List.of(pos)).await().atMost(Adapters.AWAIT);

    assertThat(status.voidedSequence(chain, p.txHash()).await().atMost(Adapters.AWAIT))
        .isEqualTo(OptionalLong.of(1));
    assertThat(status.find(chain, p.txHash()).await().atMost(Adapters.AWAIT)).isEmpty();
  }
}
