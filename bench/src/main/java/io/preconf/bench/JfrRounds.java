package io.preconf.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Splits a JFR recording of the engine's preconfirms into work done once per round of group commit
 * and work done once per request, as Markdown. A sample is charged by the innermost frame that
 * names either: signing, the Merkle tree, the round's lane call, record, cache fill and publish
 * (and the Redis and PostgreSQL clients, which the preconfirm path calls only for those) are per
 * round; HTTP, JSON, decoding and sender recovery, and writing each answer are per request. So an
 * answer written from the thread that completed the round's record counts as per request. What
 * names neither (Netty's select loop, Mutiny plumbing, the worker pool) is listed by thread.
 * Arguments: the recording.
 */
public final class JfrRounds {
  static final List<String> PER_ROUND =
      List.of(
          "io.preconf.core.engine.CommitmentIssuer",
          "io.preconf.core.engine.Recorder",
          "io.preconf.core.engine.Round.",
          "io.preconf.core.engine.Rounds",
          "io.preconf.core.engine.RoundTrace",
          "io.preconf.core.crypto.MlDsa",
          "io.preconf.core.merkle.",
          "io.preconf.infra.redis.",
          "io.preconf.infra.pg.",
          "io.preconf.infra.store.",
          "io.vertx.redis.",
          "io.quarkus.redis.",
          "io.vertx.pgclient.",
          "io.vertx.sqlclient.");

  static final List<String> PER_REQUEST =
      List.of(
          "io.preconf.core.engine.RequestChecks",
          "io.preconf.core.engine.PreconfirmationEngine",
          "io.preconf.core.engine.LaneSettlement",
          "io.preconf.core.tx.",
          "io.preconf.functions.",
          "io.preconf.wire.",
          "com.fasterxml.jackson.",
          "io.vertx.core.http.",
          "io.vertx.ext.web.",
          "io.quarkus.vertx.http.");

  public static void main(String[] args) throws Exception {
    Map<String, Integer> byKind = new HashMap<>();
    Map<String, Integer> roundParts = new HashMap<>();
    int samples = 0;
    try (RecordingFile file = new RecordingFile(Path.of(args[0]))) {
      while (file.hasMoreEvents()) {
        RecordedEvent e = file.readEvent();
        if (!e.getEventType().getName().equals("jdk.ExecutionSample")
            || e.getStackTrace() == null) {
          continue;
        }
        samples++;
        String kind = null;
        for (RecordedFrame f : e.getStackTrace().getFrames()) {
          String name = JfrTop.name(f);
          String round = match(PER_ROUND, name);
          if (round != null) {
            kind = "per round";
            roundParts.merge("`" + round + "`", 1, Integer::sum);
            break;
          }
          if (match(PER_REQUEST, name) != null) {
            kind = "per request";
            break;
          }
        }
        if (kind == null) {
          String thread =
              e.getThread("sampledThread") == null
                  ? "?"
                  : String.valueOf(e.getThread("sampledThread").getJavaName());
          kind = "neither, on `" + thread.replaceAll("\\d+", "N") + "`";
        }
        byKind.merge(kind, 1, Integer::sum);
      }
    }
    int total = samples;
    StringBuilder md = new StringBuilder();
    md.append(String.format(Locale.ROOT, "%d CPU samples of running Java code.%n%n", samples));
    md.append("| work | share of samples |\n|---|---:|\n");
    JfrTop.sorted(byKind).forEach(k -> md.append(JfrTop.row(k, byKind.get(k), total)));
    md.append("\n| per round, by the frame that decided | share of all samples |\n|---|---:|\n");
    JfrTop.sorted(roundParts).forEach(k -> md.append(JfrTop.row(k, roundParts.get(k), total)));
    System.out.print(md);
  }

  private static String match(List<String> prefixes, String method) {
    for (String p : prefixes) {
      if (method.startsWith(p)) {
        return p.replaceAll("\\.$", "");
      }
    }
    return null;
  }
}
