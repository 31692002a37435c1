package io.preconf.core.engine;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Where the rounds' time goes, stage by stage, to show what lies on the response path. On when the
 * logger {@value #LOGGER} is at DEBUG when the engine starts (under Quarkus:
 * QUARKUS_LOG_CATEGORY__PRECONF_ROUNDS_TRACE__LEVEL=DEBUG); it then logs, every {@value
 * #INTERVAL_SECONDS} s, how many requests the interval's rounds took (mean, p50, p99, max: how far
 * the load let them share their fixed cost) and each stage's mean, p50, p99 and max over those
 * rounds. Off, a round's marks do nothing.
 *
 * <p>A request is answered once its round is recorded: its time in the engine is {@link
 * Stage#DECODE} + {@link Stage#QUEUE} + {@link Stage#CLAIM} + {@link Stage#SIGN} + {@link
 * Stage#RECORD} + {@link Stage#ANSWER} (which holds the writing of its answer, where that is done
 * on the answering thread). {@link Stage#TURN} and {@link Stage#PUBLISH} follow the answer.
 */
final class RoundTrace {
  static final String LOGGER = "preconf.rounds.trace";
  static final int INTERVAL_SECONDS = 5;

  private static final System.Logger LOG = System.getLogger(LOGGER);
  private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(INTERVAL_SECONDS);

  /** A stage, timed from the end of the one before it. */
  enum Stage {
    /**
     * Each request, from its admission until it joins the queue: its transactions decoded, their
     * senders recovered (and read on a node, where a rollup checks them there).
     */
    DECODE,
    /** Each request, from joining the queue until a round takes it. */
    QUEUE,
    /** The round's lane call. */
    CLAIM,
    /**
     * From the claim until the round's commitments are signed (the hop to the cpu executor too).
     */
    SIGN,
    /** The store's record, until its answer is back. */
    RECORD,
    /** Completing the round's requests (what runs on the answering thread before it returns). */
    ANSWER,
    /** From the answers until the previous round's publish is done. */
    TURN,
    /** The round's feed publish, from the later of its answers and its turn. */
    PUBLISH
  }

  /** One round's times; each mark notes when a stage ended. */
  static class Marks {
    /** Marks nothing: for a trace that is off, and for work outside the rounds. */
    static final Marks OFF = new Marks(null, 0, 0);

    private final RoundTrace trace;
    private final long[] at = new long[Stage.values().length];
    private final long started;
    private final int requests;

    private Marks(RoundTrace trace, long started, int requests) {
      this.trace = trace;
      this.started = started;
      this.requests = requests;
    }

    void mark(Stage stage) {
      if (trace != null) {
        at[stage.ordinal()] = System.nanoTime();
      }
    }

    /** The round has published: its times join the interval's. */
    void published() {
      if (trace != null) {
        mark(Stage.PUBLISH);
        trace.add(this);
      }
    }

    private long end(Stage stage) {
      return at[stage.ordinal()];
    }
  }

  private final Map<Stage, Samples> samples = new EnumMap<>(Stage.class);
  private final Samples sizes = new Samples();
  private long intervalStart = System.nanoTime();
  private int rounds;

  private RoundTrace() {
    for (Stage stage : Stage.values()) {
      samples.put(stage, new Samples());
    }
  }

  /** A trace when the logger is at DEBUG, or null: then every round marks {@link Marks#OFF}. */
  static RoundTrace whenEnabled() {
    return LOG.isLoggable(System.Logger.Level.DEBUG) ? new RoundTrace() : null;
  }

  /** The marks of a round starting now with {@code taken}, each request's queue wait noted. */
  static Marks start(RoundTrace trace, List<Entrant> taken) {
    if (trace == null) {
      return Marks.OFF;
    }
    long now = System.nanoTime();
    synchronized (trace) {
      for (Entrant e : taken) {
        trace.samples.get(Stage.DECODE).add(e.joined() - e.ticket().admitted);
        trace.samples.get(Stage.QUEUE).add(now - e.joined());
      }
    }
    return new Marks(trace, now, taken.size());
  }

  private synchronized void add(Marks m) {
    if (m.end(Stage.SIGN) == 0) {
      return; // nothing was signed: the lanes refused every leg
    }
    long recorded = m.end(Stage.RECORD);
    long answered = m.end(Stage.ANSWER);
    long turn = Math.max(m.end(Stage.TURN), answered);
    sizes.add(m.requests);
    samples.get(Stage.CLAIM).add(m.end(Stage.CLAIM) - m.started);
    samples.get(Stage.SIGN).add(m.end(Stage.SIGN) - m.end(Stage.CLAIM));
    samples.get(Stage.RECORD).add(recorded - m.end(Stage.SIGN));
    samples.get(Stage.ANSWER).add(answered - recorded);
    samples.get(Stage.TURN).add(turn - answered);
    samples.get(Stage.PUBLISH).add(m.end(Stage.PUBLISH) - turn);
    rounds++;
    long now = System.nanoTime();
    if (now - intervalStart >= INTERVAL_NANOS) {
      LOG.log(System.Logger.Level.DEBUG, summary());
      samples.values().forEach(Samples::clear);
      sizes.clear();
      rounds = 0;
      intervalStart = now;
    }
  }

  private String summary() {
    StringBuilder out =
        new StringBuilder("rounds ")
            .append(rounds)
            .append(", requests per round ")
            .append(sizes.summary(1))
            .append(" (mean/p50/p99/max; stages in us)");
    samples.forEach(
        (stage, s) -> out.append("; ").append(stage).append(' ').append(s.summary(1_000)));
    return out.toString();
  }

  /** One figure of each round (or request) over an interval. */
  private static final class Samples {
    private long[] values = new long[1024];
    private int size;

    void add(long value) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = value;
    }

    void clear() {
      size = 0;
    }

    /** Mean/p50/p99/max, each divided by {@code unit}. */
    String summary(long unit) {
      if (size == 0) {
        return "-";
      }
      long[] sorted = Arrays.copyOf(values, size);
      Arrays.sort(sorted);
      long sum = 0;
      for (long v : sorted) {
        sum += v;
      }
      return String.format(Locale.ROOT, "%.1f", (double) sum / size / unit)
          + "/"
          + sorted[(size - 1) / 2] / unit
          + "/"
          + sorted[(int) ((size - 1) * 0.99)] / unit
          + "/"
          + sorted[size - 1] / unit;
    }
  }
}
