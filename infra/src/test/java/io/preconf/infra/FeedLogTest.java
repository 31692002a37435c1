package io.preconf.infra;

import static io.preconf.core.testing.Samples.uniqueChain;
import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.feed.LaneEntry;
import io.preconf.core.feed.LaneLog;
import io.preconf.core.feed.LaneLogContract;
import io.preconf.core.port.LanePosition;
import io.preconf.core.testing.Samples;
import io.preconf.core.types.ChainId;
import io.preconf.infra.pg.PgPreconfirmations;
import io.preconf.wire.PreconfirmationCodec;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The log contract against the Redis stream, and how entries get in there: in lane order whatever
 * order they were published in, past void positions, and past a sequence that never comes.
 */
@QuarkusTest
@WithTestResource(LocalServers.class)
class FeedLogTest extends LaneLogContract {
  @Inject Redis redis;
  @Inject PgPreconfirmations pg;

  Adapters a;
  ChainId chain;

  @BeforeEach
  void ownLane() {
    a = new Adapters(redis, "127.0.0.1:6390", pg, Fixtures.uniquePrefix());
    chain = uniqueChain();
  }

  @Override
  protected LaneLog log() {
    return a.feed;
  }

  @Override
  protected List<Preconfirmation> issue(ChainId chain, int n) {
    return a.issue(chain, n);
  }

  @Override
  protected void publish(List<Preconfirmation> issued) {
    a.feed.publish(Samples.kept(issued)).await().atMost(Adapters.AWAIT);
  }

  private List<Preconfirmation> issue(int n) {
    return a.issue(chain, n);
  }

  private void publish(Preconfirmation... p) {
    publish(List.of(p));
  }

  private List<LaneEntry> read(long from) {
    return a.feed.read(chain, from, 100).await().atMost(Adapters.AWAIT);
  }

  @Test
  void entriesPublishedOutOfOrderAppearInLaneOrder() {
    List<Preconfirmation> p = issue(4);

    publish(p.get(2));
    publish(p.get(1));
    assertThat(read(1)).isEmpty(); // sequence 1 is still on its way
    publish(p.get(0), p.get(3));

    assertThat(read(1))
        .containsExactly(
            Samples.entry(p.get(0)),
            Samples.entry(p.get(1)),
            Samples.entry(p.get(2)),
            Samples.entry(p.get(3)));
  }

  @Test
  void aVoidPositionIsMarkedAndDoesNotHoldTheLogBack() {
    List<Preconfirmation> p = issue(3);
    publish(p.get(0), p.get(2));
    Preconfirmation lost = p.get(1);

    a.lanes
        .abandon(
            List.of(
                new LanePosition(
                    chain, lost.txHash(), 2, lost.leaf().previous(), lost.leaf().receivedAt())))
        .await()
        .atMost(Adapters.AWAIT);

    assertThat(read(1))
        .containsExactly(
            Samples.entry(p.get(0)), new LaneEntry.Void(2, lost.txHash()), Samples.entry(p.get(2)));
  }

  @Test
  void aSequenceThatNeverComesLeavesAGapAfterTheWait() throws InterruptedException {
    List<Preconfirmation> p = issue(3);
    publish(p.get(0), p.get(2)); // sequence 2 is recorded but its publish is lost
    assertThat(read(1)).extracting(LaneEntry::sequence).containsExactly(1L);

    Thread.sleep(Adapters.GAP_WAIT.toMillis() + 100);
    a.feed.advance(List.of(chain)).await().atMost(Adapters.AWAIT);
    publish(p.get(1)); // too late: readers take it from the store

    assertThat(read(1)).extracting(LaneEntry::sequence).containsExactly(1L, 3L);
  }

  @Test
  void aPublishCachesEachEntryByItsSequenceAndTheCacheReadsItWhereverItWaits() {
    List<Preconfirmation> p = issue(3);

    publish(p.get(1)); // waits for sequence 1 beside the stream
    assertThat(a.command("GET", a.keys.cached(chain, p.get(1).txHash()))).isEqualTo("@2");
    assertThat(cached(p.get(1))).contains(p.get(1));
    publish(p.get(0), p.get(2));

    for (Preconfirmation q : p) {
      String key = a.keys.cached(chain, q.txHash());
      assertThat(a.command("GET", key)).isEqualTo("@" + q.sequence());
      assertThat(cached(q)).contains(q);
      assertThat(Long.parseLong(a.command("PTTL", key)))
          .isPositive()
          .isLessThanOrEqualTo(
              Long.parseLong(a.command("PTTL", a.keys.commitment(q.commitment().root()))));
    }
  }

  @Test
  void aCacheEntryWhoseFeedEntryIsGoneOrAnotherTransactionsReadsAsMissing() {
    List<Preconfirmation> p = issue(2);
    publish(p.get(0), p.get(1));

    a.command("SET", a.keys.cached(chain, p.get(0).txHash()), "@2", "EX", "60");
    assertThat(cached(p.get(0))).isEmpty();
    a.command("DEL", a.keys.feed(chain));
    assertThat(cached(p.get(1))).isEmpty();
  }

  @Test
  void aLateCopyOfASequenceTheLogPassedIsCachedWhole() throws InterruptedException {
    List<Preconfirmation> p = issue(3);
    publish(p.get(0), p.get(2));
    Thread.sleep(Adapters.GAP_WAIT.toMillis() + 100);
    a.feed.advance(List.of(chain)).await().atMost(Adapters.AWAIT);

    publish(p.get(1));

    assertThat(a.command("GET", a.keys.cached(chain, p.get(1).txHash())))
        .isEqualTo(PreconfirmationCodec.toJsonByRoot(p.get(1)));
    assertThat(cached(p.get(1))).contains(p.get(1));
  }

  private Optional<Preconfirmation> cached(Preconfirmation p) {
    return a.cache.get(chain, p.txHash()).await().atMost(Adapters.AWAIT);
  }

  @Test
  void entriesAnOlderEngineWroteWithTheWholeCommitmentStillRead() {
    List<Preconfirmation> p = issue(3);
    // As an engine that kept each entry's whole commitment wrote them.
    writtenBefore(p, PreconfirmationCodec::toJson, false);
    publish(p.get(2));

    assertThat(readElsewhere()).containsExactly(entries(p));
  }

  /**
   * Sequence 1 of {@code p} in the stream and 2 waiting for it, as an older engine wrote them: a
   * "type" field, each entry's JSON as {@code json} makes it, its root again ("cm", the roots hash)
   * when {@code rootTwice}, and its transaction as hex.
   */
  private void writtenBefore(
      List<Preconfirmation> p, Function<Preconfirmation, String> json, boolean rootTwice) {
    Preconfirmation one = p.get(0);
    Preconfirmation two = p.get(1);
    List<String> xadd =
        new ArrayList<>(List.of("XADD", a.keys.feed(chain), "1-0", "type", "preconfirmation"));
    xadd.addAll(List.of("data", json.apply(one)));
    if (rootTwice) {
      xadd.addAll(List.of("cm", one.commitment().root().toHex()));
      a.command("HSET", a.keys.feedPendingRoot(chain), "2", two.commitment().root().toHex());
    }
    xadd.addAll(List.of("tx", Samples.signedBytes(one).toHex()));
    a.command(xadd.toArray(String[]::new));
    a.command("HDEL", a.keys.open(chain), "1");
    a.command("SET", a.keys.feedHead(chain), "1");
    a.command("HSET", a.keys.feedPending(chain), "2", json.apply(two));
    a.command("HSET", a.keys.feedPendingTx(chain), "2", Samples.signedBytes(two).toHex());
  }

  /** The lane as a process that holds no commitment yet reads it. */
  private List<LaneEntry> readElsewhere() {
    Adapters reader = new Adapters(redis, "127.0.0.1:6390", pg, a.keys.prefix());
    return reader.feed.read(chain, 1, 100).await().atMost(Adapters.AWAIT);
  }

  private static LaneEntry[] entries(List<Preconfirmation> p) {
    return p.stream().map(Samples::entry).toArray(LaneEntry[]::new);
  }

  @Test
  void anEntryHoldsItsJsonAndItsTransactionsBytesAlone() {
    List<Preconfirmation> p = issue(2);
    publish(p.get(1));
    publish(p.get(0)); // 2 waited for 1 in the pending hashes

    for (Preconfirmation q : p) {
      String id = q.sequence() + "-0";
      Response fields =
          redis
              .send(Request.cmd(Command.XRANGE).arg(a.keys.feed(chain)).arg(id).arg(id))
              .await()
              .atMost(Adapters.AWAIT)
              .get(0)
              .get(1);
      assertThat(fields.size()).isEqualTo(4);
      assertThat(fields.get(0).toString()).isEqualTo("data");
      assertThat(fields.get(1).toString()).isEqualTo(PreconfirmationCodec.toJsonByRoot(q));
      assertThat(fields.get(2).toString()).isEqualTo("raw");
      assertThat(fields.get(3).toBytes()).isEqualTo(Samples.signedBytes(q).toArray());
    }
    assertThat(a.command("EXISTS", a.keys.feedPendingRoot(chain))).isEqualTo("0");
  }

  @Test
  void entriesTheEngineBeforeWroteWithTheRootTwiceAndTheTransactionAsHexStillRead() {
    List<Preconfirmation> p = issue(3);
    // As the engine that named the root in "cm" too, kept transactions as hex and commitments as
    // JSON wrote them.
    for (Preconfirmation q : p.subList(0, 2)) {
      a.command(
          "SET",
          a.keys.commitment(q.commitment().root()),
          PreconfirmationCodec.commitmentToJson(q.commitment()),
          "EX",
          "60");
    }
    writtenBefore(p, PreconfirmationCodec::toJsonByRoot, true);
    publish(p.get(2));

    assertThat(readElsewhere()).containsExactly(entries(p));
  }
}
