package io.preconf.core.feed;

import static io.preconf.core.testing.Samples.uniqueChain;
import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.testing.Samples;
import io.preconf.core.types.ChainId;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The reading rules of {@link LaneLog} once entries are in, for every implementation: the in-memory
 * entries the core's feed tests read, and the Redis stream in infra. How entries get in (waiting
 * for earlier sequences, gaps, trimming) is the Redis log's own; its tests cover that.
 */
public abstract class LaneLogContract {
  private static final Duration WAIT = Duration.ofSeconds(60);

  protected abstract LaneLog log();

  /** Preconfirmations for the next {@code n} positions of the lane, not yet published. */
  protected abstract List<Preconfirmation> issue(ChainId chain, int n);

  /** Publishes these preconfirmations to their lanes' logs, as the engine does once recorded. */
  protected abstract void publish(List<Preconfirmation> issued);

  @Test
  void aLaneWithNothingPublishedReadsEmptyAndItsHeadIsZero() {
    ChainId chain = uniqueChain();

    assertThat(read(chain, 1, 10)).isEmpty();
    assertThat(log().head(chain).await().atMost(WAIT)).isZero();
  }

  @Test
  void aReaderResumesFromAnySequenceAndSeesEachOnceInLaneOrder() {
    ChainId chain = uniqueChain();
    List<Preconfirmation> p = issue(chain, 5);
    publish(p);

    assertThat(read(chain, 1, 10))
        .containsExactly(
            Samples.entry(p.get(0)),
            Samples.entry(p.get(1)),
            Samples.entry(p.get(2)),
            Samples.entry(p.get(3)),
            Samples.entry(p.get(4)));
    assertThat(read(chain, 4, 10)).extracting(LaneEntry::sequence).containsExactly(4L, 5L);
    assertThat(read(chain, 2, 2)).extracting(LaneEntry::sequence).containsExactly(2L, 3L);
    assertThat(read(chain, 6, 10)).isEmpty();
    assertThat(log().head(chain).await().atMost(WAIT)).isEqualTo(5);
  }

  @Test
  void publishingAgainAddsNothing() {
    ChainId chain = uniqueChain();
    List<Preconfirmation> p = issue(chain, 2);
    publish(p);

    publish(List.of(p.get(1)));

    assertThat(read(chain, 1, 10)).extracting(LaneEntry::sequence).containsExactly(1L, 2L);
    assertThat(log().head(chain).await().atMost(WAIT)).isEqualTo(2);
  }

  @Test
  void eachChainHasALogOfItsOwn() {
    ChainId chain = uniqueChain();
    publish(issue(chain, 1));

    ChainId other = uniqueChain();
    assertThat(read(other, 1, 10)).isEmpty();
    assertThat(log().head(other).await().atMost(WAIT)).isZero();
  }

  private List<LaneEntry> read(ChainId chain, long from, int max) {
    return log().read(chain, from, max).await().atMost(WAIT);
  }
}
