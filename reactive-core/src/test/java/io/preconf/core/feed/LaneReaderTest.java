package io.preconf.core.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.commit.Commitment;
import io.preconf.core.commit.Leaf;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.feed.LaneReader.Batch;
import io.preconf.core.testing.InMemoryLaneEntries;
import io.preconf.core.testing.ManualClock;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The gap-and-settle rule of {@link LaneReader}, over a log and an archive in memory. */
class LaneReaderTest {
  private static final ChainId CHAIN = ChainId.of(167000);
  private static final long T0 = 1_700_000_000_000L;
  private static final Duration SETTLE = Duration.ofSeconds(5);

  private final InMemoryLaneEntries log = new InMemoryLaneEntries();
  private final InMemoryLaneEntries archive = new InMemoryLaneEntries();
  private final ManualClock clock = new ManualClock(T0);
  private final AtomicInteger filled = new AtomicInteger();
  private final AtomicInteger stepped = new AtomicInteger();
  private final LaneReader.Counters counters =
      new LaneReader.Counters() {
        @Override
        public void filledFromArchive(ChainId chain, int entries) {
          filled.addAndGet(entries);
        }

        @Override
        public void steppedOver(ChainId chain) {
          stepped.incrementAndGet();
        }
      };

  private LaneReader reader(int batchSize) {
    return new LaneReader(CHAIN, log, archive, batchSize, SETTLE, clock, counters);
  }

  private static Batch read(LaneReader reader, long from, long knownHead) {
    return reader.read(from, knownHead).await().indefinitely();
  }

  @Test
  void theLogIsReadFromTheSequenceAskedUpToItsFirstGap() {
    log.put(CHAIN, issued(1), issued(2), issued(3), issued(5));

    Batch b = read(reader(8), 1, 0);

    assertThat(sequences(b)).containsExactly(1L, 2L, 3L);
    assertThat(b.through()).isEqualTo(3);
    assertThat(b.more()).as("the log holds more past the gap").isTrue();
    assertThat(b.logSeen()).isEqualTo(5);
    assertThat(archive.reads()).isZero();
  }

  @Test
  void aFullBatchSaysMoreIsThereAndAShortOneDoesNot() {
    log.put(CHAIN, issued(1), issued(2), issued(3));

    assertThat(read(reader(3), 1, 0).more()).isTrue();
    assertThat(read(reader(4), 1, 0).more()).isFalse();
  }

  @Test
  void nothingPastTheHeadIsAnEmptyBatchCoveringWhatCameBefore() {
    log.put(CHAIN, issued(1), issued(2));

    Batch b = read(reader(8), 3, 0);

    assertThat(b.entries()).isEmpty();
    assertThat(b.through()).isEqualTo(2);
    assertThat(b.more()).isFalse();
    assertThat(b.waitingOn()).isZero();
  }

  @Test
  void aSequenceMissingInsideTheLogIsFilledFromTheArchive() {
    log.put(CHAIN, issued(1), issued(2), issued(4));
    archive.put(CHAIN, issued(1), issued(2), issued(3), issued(4));
    LaneReader reader = reader(8);

    assertThat(sequences(read(reader, 1, 0))).containsExactly(1L, 2L);
    Batch filling = read(reader, 3, 0);

    assertThat(sequences(filling)).containsExactly(3L);
    assertThat(filling.through()).isEqualTo(3);
    assertThat(filling.more()).isTrue();
    assertThat(filling.logSeen()).isEqualTo(4);
    assertThat(filled).hasValue(1);
    assertThat(sequences(read(reader, 4, 0))).containsExactly(4L);
  }

  @Test
  void aVoidSequenceIsAnEntryForSubscribersToStepOver() {
    log.put(CHAIN, issued(1), issued(3));
    archive.put(CHAIN, new LaneEntry.Void(2, tx(2)));

    Batch b = read(reader(8), 2, 0);

    assertThat(b.entries()).containsExactly(new LaneEntry.Void(2, tx(2)));
    assertThat(b.through()).isEqualTo(2);
    assertThat(stepped).hasValue(0);
  }

  @Test
  void aSequenceInNeitherIsSteppedOverSettleAfterTheReceivedAtOfTheEntryAfterIt() {
    // Entry 3 was received 4 s before the read: sequence 2, earlier still, settles 1 s later.
    log.put(CHAIN, issued(1), issued(3, T0 - 4_000));
    LaneReader reader = reader(8);

    Batch waiting = read(reader, 2, 0);
    assertThat(waiting.entries()).isEmpty();
    assertThat(waiting.through()).isEqualTo(1);
    assertThat(waiting.more()).isFalse();
    assertThat(waiting.waitingOn()).isEqualTo(2);

    clock.advance(999);
    assertThat(read(reader, 2, 0).waitingOn()).isEqualTo(2);

    clock.advance(1);
    Batch over = read(reader, 2, 0);
    assertThat(over.through()).isEqualTo(2);
    assertThat(over.waitingOn()).isZero();
    assertThat(over.more()).isTrue();
    assertThat(stepped).hasValue(1);
    assertThat(sequences(read(reader, 3, 0))).containsExactly(3L);
  }

  @Test
  void aRecordThatCommitsBeforeTheGapSettlesIsDeliveredInItsPlace() {
    log.put(CHAIN, issued(1), issued(3, T0));
    LaneReader reader = reader(8);
    assertThat(read(reader, 2, 0).waitingOn()).isEqualTo(2);

    clock.advance(4_000);
    archive.put(CHAIN, issued(2));

    Batch b = read(reader, 2, 0);
    assertThat(sequences(b)).containsExactly(2L);
    assertThat(stepped).hasValue(0);
  }

  @Test
  void withNoLaterEntryAMissingSequenceSettlesAfterItWasFirstSeenMissing() {
    // A replay behind a live position of 3, over an empty log: 3 is recorded nowhere yet.
    archive.put(CHAIN, issued(1), issued(2));
    LaneReader reader = reader(8);

    Batch first = read(reader, 1, 3);
    assertThat(sequences(first)).containsExactly(1L, 2L);
    assertThat(first.through()).isEqualTo(2);
    assertThat(first.waitingOn()).isEqualTo(3);

    clock.advance(SETTLE.toMillis() - 1);
    assertThat(read(reader, 3, 3).waitingOn()).isEqualTo(3);

    clock.advance(1);
    Batch over = read(reader, 3, 3);
    assertThat(over.entries()).isEmpty();
    assertThat(over.through()).isEqualTo(3);
    assertThat(over.waitingOn()).isZero();
    assertThat(stepped).hasValue(1);
  }

  @Test
  void aReplayOverAnEmptyLogCoversUpToTheKnownHeadFromTheArchive() {
    archive.put(CHAIN, issued(1), issued(2), issued(3));

    Batch b = read(reader(8), 1, 3);

    assertThat(sequences(b)).containsExactly(1L, 2L, 3L);
    assertThat(b.through()).isEqualTo(3);
    assertThat(b.logSeen()).isZero();
  }

  @Test
  void trimmedHistoryIsReadFromTheArchiveWithoutAskingTheLogAgain() {
    for (long s = 1; s <= 8; s++) {
      archive.put(CHAIN, issued(s));
      log.put(CHAIN, issued(s));
    }
    log.trimBefore(CHAIN, 5);
    LaneReader reader = reader(2);

    Batch one = read(reader, 1, 0);
    Batch two = read(reader, 3, 0);
    Batch three = read(reader, 5, 0);

    assertThat(sequences(one)).containsExactly(1L, 2L);
    assertThat(one.more()).isTrue();
    assertThat(sequences(two)).containsExactly(3L, 4L);
    assertThat(two.through()).isEqualTo(4);
    assertThat(sequences(three)).containsExactly(5L, 6L);
    assertThat(log.reads()).as("the log, once to find its start, once from 5").isEqualTo(2);
    assertThat(filled).hasValue(4);
  }

  @Test
  void wokenEntriesAreTakenWhenTheyContinueTheLaneAndDecodedOnlyThen() {
    log.put(CHAIN, issued(1));
    LaneReader reader = reader(8);
    News news = new News(List.of(issued(2), issued(3)));

    assertThat(reader.fromLog(3, news)).as("the lane stands elsewhere").isNull();
    assertThat(news.decoded).hasValue(0);

    Batch b = reader.fromLog(2, news);
    assertThat(sequences(b)).containsExactly(2L, 3L);
    assertThat(b.through()).isEqualTo(3);
    assertThat(b.logSeen()).isEqualTo(3);
    assertThat(b.more()).isFalse();
    assertThat(news.decoded).hasValue(1);
    assertThat(log.reads()).isZero();
  }

  @Test
  void wokenEntriesWaitWhileTrimmedHistoryIsBeingFilled() {
    archive.put(CHAIN, issued(1), issued(2));
    log.put(CHAIN, issued(3));
    LaneReader reader = reader(1);
    read(reader, 1, 0); // finds the log starting at 3: history before it comes from the archive

    News news = new News(List.of(issued(2)));
    assertThat(reader.fromLog(2, news)).isNull();
    assertThat(news.decoded).hasValue(0);
  }

  // ---------------------------------------------------------------- entries

  private static final class News implements FeedSignal.LogNews {
    final List<LaneEntry> entries;
    final AtomicInteger decoded = new AtomicInteger();

    News(List<LaneEntry> entries) {
      this.entries = entries;
    }

    @Override
    public long first() {
      return entries.get(0).sequence();
    }

    @Override
    public List<LaneEntry> entries() {
      decoded.incrementAndGet();
      return entries;
    }
  }

  private static List<Long> sequences(Batch b) {
    return b.entries().stream().map(LaneEntry::sequence).toList();
  }

  private static LaneEntry issued(long sequence) {
    return issued(sequence, T0 - 60_000 + sequence);
  }

  private static LaneEntry issued(long sequence, long receivedAt) {
    Leaf leaf =
        new Leaf(CHAIN, tx(sequence), SENDER, 0, sequence, tx(sequence - 1), receivedAt, 100);
    Commitment c =
        new Commitment(
            Hash32.ZERO,
            receivedAt,
            receivedAt + 60_000,
            false,
            SENDER,
            Bytes.wrap(new byte[65]),
            null);
    return new LaneEntry.Issued(sequence, new Preconfirmation(leaf.hash(), leaf, List.of(), c));
  }

  private static final Address SENDER = Address.fromHex("0x" + "11".repeat(20));

  private static Hash32 tx(long sequence) {
    byte[] b = new byte[32];
    b[31] = (byte) sequence;
    b[30] = (byte) (sequence >> 8);
    return Hash32.wrap(b);
  }
}
