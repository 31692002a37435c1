package io.preconf.core.feed;

import static io.preconf.core.testing.Samples.preconfirmation;
import static io.preconf.core.testing.Samples.randomAddress;
import static io.preconf.core.testing.Samples.randomHash;
import static io.preconf.core.testing.Samples.uniqueChain;
import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.feed.LaneEntry.Void;
import io.preconf.core.port.LanePosition;
import io.preconf.core.testing.Samples;
import io.preconf.core.types.ChainId;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rules of {@link LaneArchive}, for every implementation: the in-memory entries the core's feed
 * tests read, and PostgreSQL's preconfirmations and void positions in infra.
 */
public abstract class LaneArchiveContract {
  private static final Duration WAIT = Duration.ofSeconds(60);

  protected abstract LaneArchive archive();

  /** Makes these preconfirmations durable, as the store records them. */
  protected abstract void recorded(List<Preconfirmation> issued);

  /** Makes these positions durable as void, as the lanes keep them once abandoned. */
  protected abstract void voided(List<LanePosition> positions);

  @Test
  void aLaneWithNothingRecordedReadsEmptyAndEndsAtZero() {
    ChainId chain = uniqueChain();

    assertThat(read(chain, 1, 100, 10)).isEmpty();
    assertThat(archive().lastSequence(chain).await().atMost(WAIT)).isZero();
  }

  @Test
  void issuedAndVoidEntriesComeInLaneOrderWithinTheRangeBothEndsIncluded() {
    ChainId chain = uniqueChain();
    Preconfirmation one = at(chain, 1);
    Preconfirmation two = at(chain, 2);
    LanePosition three = position(chain, 3);
    Preconfirmation four = at(chain, 4);
    recorded(List.of(four, one));
    voided(List.of(three));
    recorded(List.of(two));

    assertThat(read(chain, 1, 4, 10))
        .containsExactly(
            Samples.entry(one),
            Samples.entry(two),
            new Void(3, three.txHash()),
            Samples.entry(four));
    assertThat(read(chain, 2, 3, 10)).extracting(LaneEntry::sequence).containsExactly(2L, 3L);
    assertThat(read(chain, 1, 4, 2)).extracting(LaneEntry::sequence).containsExactly(1L, 2L);
    assertThat(read(chain, 4, 3, 10)).isEmpty();
  }

  @Test
  void theLastSequenceCountsVoidPositions() {
    ChainId chain = uniqueChain();
    recorded(List.of(at(chain, 1)));
    voided(List.of(position(chain, 2)));

    assertThat(archive().lastSequence(chain).await().atMost(WAIT)).isEqualTo(2);
  }

  /**
   * A position voided after its record stays what was promised, and counts once towards max. (The
   * other order cannot arise: a record of a position already void is refused, see the store.)
   */
  @Test
  void aRecordedSequenceVoidedAfterwardsIsTheIssuedEntry() {
    ChainId chain = uniqueChain();
    Preconfirmation one = at(chain, 1);
    Preconfirmation two = at(chain, 2);
    Preconfirmation three = at(chain, 3);
    recorded(List.of(one, two));
    voided(List.of(positionOf(one), positionOf(two)));
    recorded(List.of(three));

    assertThat(read(chain, 1, 3, 10))
        .containsExactly(Samples.entry(one), Samples.entry(two), Samples.entry(three));
    assertThat(read(chain, 1, 3, 2)).extracting(LaneEntry::sequence).containsExactly(1L, 2L);
  }

  @Test
  void eachChainHasALaneOfItsOwn() {
    ChainId chain = uniqueChain();
    recorded(List.of(at(chain, 1)));

    assertThat(read(uniqueChain(), 1, 1, 10)).isEmpty();
  }

  private List<LaneEntry> read(ChainId chain, long from, long to, int max) {
    return archive().read(chain, from, to, max).await().atMost(WAIT);
  }

  private static LanePosition position(ChainId chain, long sequence) {
    return new LanePosition(
        chain, randomHash(), sequence, randomHash(), System.currentTimeMillis());
  }

  private static Preconfirmation at(ChainId chain, long sequence) {
    return preconfirmation(position(chain, sequence), randomAddress(), 0);
  }

  private static LanePosition positionOf(Preconfirmation p) {
    return new LanePosition(
        p.chainId(), p.txHash(), p.sequence(), p.leaf().previous(), p.leaf().receivedAt());
  }
}
