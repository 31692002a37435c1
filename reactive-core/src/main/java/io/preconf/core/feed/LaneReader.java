package io.preconf.core.feed;

import io.preconf.core.port.Clock;
import io.preconf.core.types.ChainId;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one lane in order from a given sequence, with nothing left out: from the {@link LaneLog}
 * where it holds the entries, from the {@link LaneArchive} where it does not (trimmed, lost, or
 * skipped past a failed publish).
 *
 * <p>One read, from sequence {@code from}:
 *
 * <ol>
 *   <li><b>The log.</b> When the log's first entry from {@code from} on is {@code from} itself, the
 *       batch is the log's entries up to its first gap. A gap inside the log ends the batch; the
 *       next read starts at it and fills it from the archive.
 *   <li><b>The archive.</b> When the log starts after {@code from} (trimmed history, or a gap), or
 *       holds nothing from {@code from} on while the caller knows of later sequences ({@code
 *       knownHead}), the sequences in between come from the archive. The log's first entry is
 *       remembered, so that reads of trimmed history before it go to the archive alone.
 *   <li><b>Missing sequences.</b> A sequence in neither is a position that was never promised, or
 *       one whose record has not committed yet. It is stepped over once that can no longer happen:
 *       {@code settle} after the receivedAt of the first issued entry after it (receivedAt never
 *       decreases along a lane, and a record commits within the store's timeout of its own
 *       receivedAt), or {@code settle} after this reader first saw it missing when no later entry
 *       tells the time. Until then the batch ends before it and names it ({@link Batch#waitingOn});
 *       the caller reads again a little later.
 *   <li><b>Void sequences</b> are entries like any other ({@link LaneEntry.Void}): a subscriber
 *       steps over them.
 * </ol>
 *
 * <p>Not thread-safe: each reader (a lane's live tail, each replay) has its own.
 */
public final class LaneReader {

  /** What an operator counts of the reading. */
  public interface Counters {
    /** Entries a read took from the archive. */
    void filledFromArchive(ChainId chain, int entries);

    /** A sequence in neither the log nor the archive, stepped over once settled. */
    void steppedOver(ChainId chain);
  }

  /**
   * One step along the lane.
   *
   * @param entries in lane order, each new to the reader
   * @param through the last sequence covered: given in {@code entries} or stepped over
   * @param more whether more is known to be there already: read again at once
   * @param waitingOn a missing sequence not yet settled (0 when none): read again a little later
   * @param logSeen the highest sequence seen in the log; 0 when this step did not read it
   */
  public record Batch(
      List<LaneEntry> entries, long through, boolean more, long waitingOn, long logSeen) {}

  private final ChainId chain;
  private final LaneLog log;
  private final LaneArchive archive;
  private final int batchSize;
  private final long settleMs;
  private final Clock clock;
  private final Counters counters;

  /**
   * The first entry the log held when a read found a gap before it (trimmed history); null when
   * unknown. Later reads before it go to the archive without asking the log again.
   */
  private LaneEntry logFirst;

  private long missing;
  private long missingSince;

  public LaneReader(
      ChainId chain,
      LaneLog log,
      LaneArchive archive,
      int batchSize,
      Duration settle,
      Clock clock,
      Counters counters) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be 1 or more, got " + batchSize);
    }
    this.chain = chain;
    this.log = log;
    this.archive = archive;
    this.batchSize = batchSize;
    this.settleMs = settle.toMillis();
    this.clock = clock;
    this.counters = counters;
  }

  /**
   * The entries from {@code from} on.
   *
   * @param knownHead a sequence known to be issued or stepped over already (the lane's live
   *     position, for a replay; 0 for the live tail): when the log holds nothing from {@code from}
   *     on, the reader still covers up to it from the archive
   */
  public Uni<Batch> read(long from, long knownHead) {
    if (logFirst != null && logFirst.sequence() > from) {
      return fill(from, logFirst.sequence() - 1, List.of(logFirst));
    }
    return log.read(chain, from, batchSize)
        .onItem()
        .transformToUni(
            logged -> {
              long seen = logged.isEmpty() ? 0 : logged.get(logged.size() - 1).sequence();
              if (!logged.isEmpty() && logged.get(0).sequence() == from) {
                return Uni.createFrom().item(contiguous(from, logged, seen));
              }
              long gapEnd = logged.isEmpty() ? knownHead : logged.get(0).sequence() - 1;
              if (gapEnd < from) {
                return Uni.createFrom().item(new Batch(List.of(), from - 1, false, 0, seen));
              }
              logFirst = logged.isEmpty() ? null : logged.get(0);
              return fill(from, gapEnd, logged)
                  .onItem()
                  .transform(b -> new Batch(b.entries, b.through, b.more, b.waitingOn, seen));
            });
  }

  /**
   * The entries a wake-up brought ({@link FeedSignal.LogNews}), when they continue the lane at
   * {@code from} and no trimmed history is being filled; otherwise null, and the caller reads with
   * {@link #read}. They are decoded only then.
   *
   * @throws RuntimeException when the news cannot be decoded: the caller reads instead
   */
  public Batch fromLog(long from, FeedSignal.LogNews news) {
    if (logFirst != null || news.first() != from) {
      return null;
    }
    List<LaneEntry> logged = news.entries();
    if (logged.isEmpty() || logged.get(0).sequence() != from) {
      return null;
    }
    return contiguous(from, logged, logged.get(logged.size() - 1).sequence());
  }

  /** The log's entries from {@code from} up to its first gap. */
  private Batch contiguous(long from, List<LaneEntry> logged, long seen) {
    long expected = from;
    List<LaneEntry> out = new ArrayList<>(logged.size());
    for (LaneEntry e : logged) {
      if (e.sequence() != expected) {
        break; // a gap inside the log: the next read starts there and fills it
      }
      out.add(e);
      expected++;
    }
    boolean more = out.size() < logged.size() || logged.size() >= batchSize;
    return new Batch(out, expected - 1, more, 0, seen);
  }

  /**
   * Sequences {@code from..gapEnd} from the archive. {@code after} are the log's entries following
   * the gap, which tell how old the gap is.
   */
  private Uni<Batch> fill(long from, long gapEnd, List<LaneEntry> after) {
    return archive
        .read(chain, from, gapEnd, batchSize)
        .onItem()
        .transform(
            rows -> {
              counters.filledFromArchive(chain, rows.size());
              List<LaneEntry> out = new ArrayList<>(rows.size());
              long next = from;
              for (int i = 0; i < rows.size(); i++) {
                LaneEntry row = rows.get(i);
                for (; next < row.sequence(); next++) {
                  if (!settled(next, receivedAfter(rows, i, after))) {
                    return new Batch(out, next - 1, false, next, 0);
                  }
                  counters.steppedOver(chain);
                }
                out.add(row);
                next = row.sequence() + 1;
              }
              if (rows.size() >= batchSize) {
                return new Batch(out, next - 1, true, 0, 0);
              }
              for (; next <= gapEnd; next++) {
                if (!settled(next, receivedAfter(rows, rows.size(), after))) {
                  return new Batch(out, next - 1, false, next, 0);
                }
                counters.steppedOver(chain);
              }
              return new Batch(out, gapEnd, true, 0, 0);
            });
  }

  /**
   * The receivedAt of the first issued entry at or after {@code rows[i]}, then in the log; or 0.
   */
  private static long receivedAfter(List<LaneEntry> rows, int i, List<LaneEntry> after) {
    for (int k = i; k < rows.size(); k++) {
      if (rows.get(k) instanceof LaneEntry.Issued issued) {
        return issued.preconfirmation().leaf().receivedAt();
      }
    }
    for (LaneEntry e : after) {
      if (e instanceof LaneEntry.Issued issued) {
        return issued.preconfirmation().leaf().receivedAt();
      }
    }
    return 0;
  }

  private boolean settled(long sequence, long laterReceivedAt) {
    long now = clock.nowMillis();
    if (laterReceivedAt > 0 && now - laterReceivedAt >= settleMs) {
      return true;
    }
    if (missing != sequence) {
      missing = sequence;
      missingSince = now;
    }
    return now - missingSince >= settleMs;
  }
}
