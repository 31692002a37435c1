package io.preconf.feed.hub;

import io.preconf.core.port.Clock;
import io.preconf.core.types.ChainId;
import io.preconf.infra.pg.PgLaneLog;
import io.preconf.infra.redis.RedisFeedLog;
import io.preconf.infra.redis.RedisFeedLog.Entry;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one lane in order from a given sequence, with nothing left out: from the Redis log where it
 * holds the entries, from PostgreSQL where it does not (trimmed, lost, or skipped past a failed
 * publish).
 *
 * <p>A sequence found in neither is a position that was never promised, or one whose record has not
 * committed yet. It is stepped over once that can no longer happen: {@code settle} after the
 * receivedAt of a later entry (receivedAt never decreases along a lane, and a record commits within
 * the store's timeout of its own receivedAt), or {@code settle} after it was first seen missing
 * when no later entry tells the time.
 *
 * <p>Not thread-safe: each reader (a lane's live tail, each replay) has its own.
 */
final class LaneReader {
  private final ChainId chain;
  private final RedisFeedLog log;
  private final PgLaneLog pg;
  private final int batchSize;
  private final long settleMs;
  private final Clock clock;
  private final FeedMetrics metrics;

  /**
   * The first entry the log held when a read found a gap before it (trimmed history); null when
   * unknown. Later reads before it go to PostgreSQL without asking Redis again.
   */
  private Entry logFirst;

  private long missing;
  private long missingSince;

  /**
   * @param entries in lane order, each new to the reader
   * @param through the last sequence covered: given in {@code entries} or stepped over
   * @param more whether more is known to be there already: read again at once
   * @param waitingOn a missing sequence not yet settled (0 when none): read again a little later
   * @param logSeen the highest sequence seen in the Redis log
   */
  record Batch(List<Entry> entries, long through, boolean more, long waitingOn, long logSeen) {}

  LaneReader(
      ChainId chain,
      RedisFeedLog log,
      PgLaneLog pg,
      int batchSize,
      Duration settle,
      Clock clock,
      FeedMetrics metrics) {
    this.chain = chain;
    this.log = log;
    this.pg = pg;
    this.batchSize = batchSize;
    this.settleMs = settle.toMillis();
    this.clock = clock;
    this.metrics = metrics;
  }

  /**
   * The entries from {@code from} on.
   *
   * @param knownHead a sequence known to be issued or stepped over already (the lane's live
   *     position, for a replay; 0 for the live tail): when the log holds nothing from {@code from}
   *     on, the reader still covers up to it from PostgreSQL
   */
  Uni<Batch> read(long from, long knownHead) {
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
   * The entries a blocking read already brought, when they continue the lane at {@code from} and no
   * trimmed history is being filled; otherwise null, and the caller reads with {@link #read}.
   */
  Batch fromLog(long from, List<Entry> logged) {
    if (logFirst != null || logged.isEmpty() || logged.get(0).sequence() != from) {
      return null;
    }
    return contiguous(from, logged, logged.get(logged.size() - 1).sequence());
  }

  /** The log's entries from {@code from} up to its first gap. */
  private Batch contiguous(long from, List<Entry> logged, long seen) {
    long expected = from;
    List<Entry> out = new ArrayList<>(logged.size());
    for (Entry e : logged) {
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
   * Sequences {@code from..gapEnd} from PostgreSQL. {@code after} are the log's entries following
   * the gap, which tell how old the gap is.
   */
  private Uni<Batch> fill(long from, long gapEnd, List<Entry> after) {
    return pg.read(chain, from, gapEnd, batchSize)
        .onItem()
        .transform(
            rows -> {
              metrics.filledFromStore(chain, rows.size());
              List<Entry> out = new ArrayList<>(rows.size());
              long next = from;
              for (int i = 0; i < rows.size(); i++) {
                Entry row = rows.get(i);
                for (; next < row.sequence(); next++) {
                  if (!settled(next, receivedAfter(rows, i, after))) {
                    return new Batch(out, next - 1, false, next, 0);
                  }
                  metrics.steppedOver(chain);
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
                metrics.steppedOver(chain);
              }
              return new Batch(out, gapEnd, true, 0, 0);
            });
  }

  /**
   * The receivedAt of the first issued entry at or after {@code rows[i]}, then in the log; or 0.
   */
  private static long receivedAfter(List<Entry> rows, int i, List<Entry> after) {
    for (int k = i; k < rows.size(); k++) {
      if (rows.get(k) instanceof Entry.Issued issued) {
        return issued.preconfirmation().leaf().receivedAt();
      }
    }
    for (Entry e : after) {
      if (e instanceof Entry.Issued issued) {
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
