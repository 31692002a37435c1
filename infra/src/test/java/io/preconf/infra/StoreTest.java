package io.preconf.infra;

import static io.preconf.core.testing.Samples.claim;
import static io.preconf.core.testing.Samples.preconfirmation;
import static io.preconf.core.testing.Samples.randomAddress;
import static io.preconf.core.testing.Samples.randomHash;
import static io.preconf.core.testing.Samples.uniqueChain;
import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.commit.Commitment;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.commit.Status;
import io.preconf.core.port.LaneOutcome.Assigned;
import io.preconf.core.port.LanePosition;
import io.preconf.core.port.PreconfirmationStore;
import io.preconf.core.port.PreconfirmationStoreContract;
import io.preconf.core.port.PromiseSnapshot;
import io.preconf.core.testing.Samples;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import io.preconf.infra.pg.PgPreconfirmations;
import io.preconf.infra.pg.PgStatusQuery;
import io.preconf.infra.redis.CommitmentBytes;
import io.preconf.wire.PreconfirmationCodec;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store contract against PostgreSQL's unique constraints behind the durable store, and what
 * only this adapter has: the Redis cache in front, and the status query beside it.
 */
@QuarkusTest
@WithTestResource(LocalServers.class)
class StoreTest extends PreconfirmationStoreContract {
  @Inject Redis redis;
  @Inject PgPreconfirmations pg;
  @Inject PgStatusQuery status;
  @Inject Pool pool;

  Adapters a;

  @BeforeEach
  void ownPrefix() {
    a = new Adapters(redis, "127.0.0.1:6390", pg, Fixtures.uniquePrefix());
  }

  @Override
  protected PreconfirmationStore store() {
    return a.store;
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

  @Test
  void recordedPreconfirmationIsFoundInTheCacheAndInPostgres() {
    Preconfirmation p = issue(uniqueChain(), randomAddress(), 0);

    a.store.record(Samples.kept(List.of(p))).await().atMost(Adapters.AWAIT);

    assertThat(a.store.find(p.chainId(), p.txHash()).await().atMost(Adapters.AWAIT)).contains(p);
    assertThat(a.cache.get(p.chainId(), p.txHash()).await().atMost(Adapters.AWAIT)).contains(p);
    assertThat(pg.find(p.chainId(), p.txHash()).await().atMost(Adapters.AWAIT)).contains(p);
    long ttl = Long.parseLong(a.command("PTTL", a.keys.cached(p.chainId(), p.txHash())));
    assertThat(ttl).isBetween(3_500_000L, 3_600_000L);
  }

  @Test
  void aCommitmentsQuantumSignatureIsKeptInItsOwnRowAndReadsBackWhole() {
    long chunksBefore = toastChunksOfCommitments();
    List<Preconfirmation> recorded = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Preconfirmation p = withQuantumSignature(issue(uniqueChain(), randomAddress(), 0));
      a.store.record(Samples.kept(List.of(p))).await().atMost(Adapters.AWAIT);
      recorded.add(p);
    }

    for (Preconfirmation p : recorded) {
      assertThat(pg.find(p.chainId(), p.txHash()).await().atMost(Adapters.AWAIT)).contains(p);
    }
    // Out of line, each of the three would have added its chunks to the TOAST table.
    assertThat(toastChunksOfCommitments()).isEqualTo(chunksBefore);
  }

  /** {@code p} under a commitment that carries a 3,309-byte ML-DSA-65 signature (random bytes). */
  private static Preconfirmation withQuantumSignature(Preconfirmation p) {
    byte[] pq = new byte[3309];
    ThreadLocalRandom.current().nextBytes(pq);
    Commitment signed = Samples.withPqSignature(p.commitment(), Bytes.wrap(pq));
    return new Preconfirmation(p.id(), p.leaf(), p.proof(), signed);
  }

  private long toastChunksOfCommitments() {
    String toast =
        pool.query(
                "select reltoastrelid::regclass::text from pg_class where relname = 'commitments'")
            .execute()
            .await()
            .atMost(Adapters.AWAIT)
            .iterator()
            .next()
            .getString(0);
    return pool.query("select count(*) from " + toast)
        .execute()
        .await()
        .atMost(Adapters.AWAIT)
        .iterator()
        .next()
        .getLong(0);
  }

  @Test
  void theRecordWritesPostgresAloneAndTheFeedPublishFillsTheCache() {
    Preconfirmation p = issue(uniqueChain(), randomAddress(), 0);
    String key = a.keys.cached(p.chainId(), p.txHash());

    a.store.record(Samples.kept(List.of(p))).await().atMost(Adapters.AWAIT);
    assertThat(a.command("EXISTS", key)).isEqualTo("0");
    a.feed.publish(Samples.kept(List.of(p))).await().atMost(Adapters.AWAIT);

    assertThat(a.cache.get(p.chainId(), p.txHash()).await().atMost(Adapters.AWAIT)).contains(p);
    assertThat(Long.parseLong(a.command("PTTL", key))).isBetween(3_500_000L, 3_600_000L);
  }

  @Test
  void aCacheMissIsReadFromPostgresAndFillsTheCache() {
    Preconfirmation p = issue(uniqueChain(), randomAddress(), 0);
    a.store.record(Samples.kept(List.of(p))).await().atMost(Adapters.AWAIT);
    a.command("DEL", a.keys.cached(p.chainId(), p.txHash()));

    Optional<Preconfirmation> found =
        a.store.find(p.chainId(), p.txHash()).await().atMost(Adapters.AWAIT);

    assertThat(found).contains(p);
    assertThat(a.command("GET", a.keys.cached(p.chainId(), p.txHash())))
        .isEqualTo(PreconfirmationCodec.toJsonByRoot(p));
    assertThat(a.bytes(a.keys.commitment(p.commitment().root())))
        .isEqualTo(CommitmentBytes.encode(p.commitment()));
  }

  @Test
  void aRoundsCommitmentIsWrittenOnceAndOutlivesTheEntriesThatNameIt() {
    Preconfirmation p = issue(uniqueChain(), randomAddress(), 0);
    String commitment = a.keys.commitment(p.commitment().root());

    a.cache.put(List.of(p)).await().atMost(Adapters.AWAIT);
    assertThat(Long.parseLong(a.command("PTTL", commitment)))
        .isGreaterThanOrEqualTo(
            Long.parseLong(a.command("PTTL", a.keys.cached(p.chainId(), p.txHash()))));
    // The feed publish of the same round names the commitment the cache fill wrote: were it to
    // write it again, the key would be back.
    a.command("DEL", commitment);
    a.feed.publish(Samples.kept(List.of(p))).await().atMost(Adapters.AWAIT);

    assertThat(a.command("EXISTS", commitment)).isEqualTo("0");
    assertThat(a.command("XRANGE", a.keys.feed(p.chainId()), "-", "+"))
        .contains(p.commitment().root().toHex());
  }

  @Test
  void aCommitmentAnOlderEngineWroteAsJsonStillReadsInAnotherProcess() {
    Preconfirmation p = issue(uniqueChain(), randomAddress(), 0);
    a.feed.publish(Samples.kept(List.of(p))).await().atMost(Adapters.AWAIT);
    a.command(
        "SET",
        a.keys.commitment(p.commitment().root()),
        PreconfirmationCodec.commitmentToJson(p.commitment()),
        "EX",
        "60");

    Adapters reader = new Adapters(redis, "127.0.0.1:6390", pg, a.keys.prefix());
    assertThat(reader.cache.get(p.chainId(), p.txHash()).await().atMost(Adapters.AWAIT))
        .contains(p);
    assertThat(reader.feed.read(p.chainId(), 1, 10).await().atMost(Adapters.AWAIT))
        .containsExactly(Samples.entry(p));
  }

  @Test
  void aCacheEntryAnOlderEngineWroteWithTheWholeCommitmentStillReads() {
    Preconfirmation p = issue(uniqueChain(), randomAddress(), 0);
    a.command(
        "SET", a.keys.cached(p.chainId(), p.txHash()), PreconfirmationCodec.toJson(p), "EX", "60");

    assertThat(a.cache.get(p.chainId(), p.txHash()).await().atMost(Adapters.AWAIT)).contains(p);
  }

  @Test
  void eachRefusalNamesTheUniqueConstraintThatMadeIt() {
    ChainId chain = uniqueChain();
    Address sender = randomAddress();
    Preconfirmation first = promise(chain, randomHash(), 1, sender, 4);
    record(first);

    assertThat(refusal(promise(chain, first.txHash(), 2, randomAddress(), 0)).getMessage())
        .contains("preconfirmations_tx_unique");
    assertThat(refusal(promise(chain, randomHash(), 1, randomAddress(), 0)).getMessage())
        .contains("preconfirmations_sequence_unique");
    assertThat(refusal(promise(chain, randomHash(), 2, sender, 4)).getMessage())
        .contains("preconfirmations_nonce_unique");
  }

  @Test
  void statusQueryGivesTheStoredPromiseAndItsStatus() {
    Preconfirmation p = issue(uniqueChain(), randomAddress(), 0);
    a.store.record(Samples.kept(List.of(p))).await().atMost(Adapters.AWAIT);

    Optional<PromiseSnapshot> t =
        status.find(p.chainId(), p.txHash()).await().atMost(Adapters.AWAIT);

    assertThat(t).isPresent();
    assertThat(t.get().promise().preconfirmation()).isEqualTo(p);
    assertThat(t.get().promise().status()).isEqualTo(Status.PRECONFIRMED);
    assertThat(t.get().promise().finality()).isNull();
    assertThat(t.get().violations()).isEmpty();
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
