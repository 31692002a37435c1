package io.preconf.infra;

import static io.preconf.infra.Fixtures.uniqueChain;
import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.feed.LaneEntry;
import io.preconf.core.port.LanePosition;
import io.preconf.core.types.ChainId;
import io.preconf.infra.pg.PgPreconfirmations;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(LocalServers.class)
class FeedLogTest {
  @Inject Redis redis;
  @Inject PgPreconfirmations pg;

  Adapters a;
  ChainId chain;

  @BeforeEach
  void ownLane() {
    a = new Adapters(redis, "127.0.0.1:6390", pg, Fixtures.uniquePrefix());
    chain = uniqueChain();
  }

  private List<Preconfirmation> issue(int n) {
    return a.issue(chain, n);
  }

  private void publish(Preconfirmation... p) {
    a.feed.publish(List.of(p)).await().atMost(Adapters.AWAIT);
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
            new LaneEntry.Issued(1, p.get(0)),
            new LaneEntry.Issued(2, p.get(1)),
            new LaneEntry.Issued(3, p.get(2)),
            new LaneEntry.Issued(4, p.get(3)));
  }

  @Test
  void aReaderResumesFromASequenceWithNoDuplicate() {
    List<Preconfirmation> p = issue(5);
    publish(p.toArray(Preconfirmation[]::new));

    assertThat(read(4)).extracting(LaneEntry::sequence).containsExactly(4L, 5L);
    publish(p.get(4)); // a repeated publish adds nothing
    assertThat(read(1)).extracting(LaneEntry::sequence).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(a.feed.head(chain).await().atMost(Adapters.AWAIT)).isEqualTo(5);
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
            new LaneEntry.Issued(1, p.get(0)),
            new LaneEntry.Void(2, lost.txHash()),
            new LaneEntry.Issued(3, p.get(2)));
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
}
