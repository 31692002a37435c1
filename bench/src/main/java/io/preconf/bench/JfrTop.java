package io.preconf.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises a JFR recording's CPU samples as Markdown: where the engine's threads spent their time
 * by kind of work, and the methods seen most on top of the stack.
 *
 * <p>A sample whose top frame is in the JDK (BigInteger, arrays, strings) is charged to the first
 * caller outside the JDK, so that BigInteger arithmetic inside Bouncy Castle counts as crypto and
 * string building inside Jackson counts as JSON. Arguments: the recording, how many methods to
 * list.
 */
public final class JfrTop {
  public static void main(String[] args) throws Exception {
    int top = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    Map<String, Integer> byKind = new HashMap<>();
    Map<String, Integer> byMethod = new HashMap<>();
    Map<String, Integer> byThread = new HashMap<>();
    Map<String, Integer> inclusive = new HashMap<>();
    int samples = 0;
    int nativeSamples = 0;
    Map<String, Integer> nativeTop = new HashMap<>();
    try (RecordingFile file = new RecordingFile(Path.of(args[0]))) {
      while (file.hasMoreEvents()) {
        RecordedEvent e = file.readEvent();
        String type = e.getEventType().getName();
        boolean java = type.equals("jdk.ExecutionSample");
        if (!java && !type.equals("jdk.NativeMethodSample")) {
          continue;
        }
        RecordedStackTrace st = e.getStackTrace();
        if (st == null || st.getFrames().isEmpty()) {
          continue;
        }
        List<RecordedFrame> frames = st.getFrames();
        String topMethod = name(frames.get(0));
        if (!java) {
          nativeSamples++;
          nativeTop.merge(topMethod + " <- " + owner(frames), 1, Integer::sum);
          continue;
        }
        samples++;
        String owner = owner(frames);
        byKind.merge(kind(frames, owner), 1, Integer::sum);
        for (String part : parts(frames)) {
          inclusive.merge(part, 1, Integer::sum);
        }
        String shown = isJdk(topMethod) ? topMethod + "  (in " + owner + ")" : topMethod;
        byMethod.merge(shown, 1, Integer::sum);
        String thread =
            e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
        byThread.merge(
            thread == null ? "?" : thread.replaceAll("[-#]?\\d+$", "").replaceAll("\\d+", "N"),
            1,
            Integer::sum);
      }
    }
    int total = samples;
    StringBuilder md = new StringBuilder();
    md.append(String.format(Locale.ROOT, "%d CPU samples of running Java code", samples));
    md.append(
        String.format(
            Locale.ROOT,
            " (and %d samples of threads in native code or waiting).%n%n",
            nativeSamples));
    md.append("| kind of work | share of samples |\n|---|---:|\n");
    sorted(byKind).forEach(k -> md.append(row(k, byKind.get(k), total)));
    md.append(
        "\n| inclusive: samples with this code anywhere on the stack | share |\n|---|---:|\n");
    sorted(inclusive).forEach(k -> md.append(row(k, inclusive.get(k), total)));
    md.append(
        "\n| top-of-stack method (JDK frames: first caller outside the JDK) | share |\n|---|---:|\n");
    sorted(byMethod).stream()
        .limit(top)
        .forEach(k -> md.append(row("`" + k + "`", byMethod.get(k), total)));
    md.append("\n| thread | share |\n|---|---:|\n");
    sorted(byThread).stream()
        .limit(8)
        .forEach(k -> md.append(row("`" + k + "`", byThread.get(k), total)));
    System.out.print(md);
  }

  /** The engine's own steps and the libraries they call, counted once per sample. */
  static List<String> PARTS =
      List.of(
          "io.preconf.infra.pg.",
          "io.preconf.infra.redis.RedisLaneSequencer",
          "io.preconf.infra.redis.RedisFeedLog",
          "io.preconf.infra.redis.RedisPreconfirmationCache",
          "io.preconf.wire.",
          "io.preconf.core.engine.RequestChecks.decodeOne",
          "io.preconf.core.engine.CommitmentIssuer.issue",
          "io.preconf.core.validation.PreconfirmationValidator",
          "io.preconf.functions.",
          "io.quarkus.funqy.",
          "org.hibernate.",
          "com.fasterxml.jackson.",
          "io.micrometer.",
          "io.netty.");

  static List<String> parts(List<RecordedFrame> frames) {
    List<String> found = new ArrayList<>();
    for (RecordedFrame f : frames) {
      String n = name(f);
      for (String p : PARTS) {
        if (n.startsWith(p) && !found.contains(p)) {
          found.add(p);
        }
      }
    }
    List<String> labels = new ArrayList<>();
    for (String p : found) {
      labels.add("`" + p.replaceAll("\\.$", "") + "`");
    }
    return labels;
  }

  static String row(String label, int n, int total) {
    return String.format(Locale.ROOT, "| %s | %.1f%% |%n", label, 100.0 * n / Math.max(1, total));
  }

  static List<String> sorted(Map<String, Integer> m) {
    List<String> keys = new ArrayList<>(m.keySet());
    keys.sort((a, b) -> m.get(b) - m.get(a));
    return keys;
  }

  static String name(RecordedFrame f) {
    return f.getMethod().getType().getName() + "." + f.getMethod().getName();
  }

  /** The first frame outside the JDK: whose work this sample really is. */
  static String owner(List<RecordedFrame> frames) {
    for (RecordedFrame f : frames) {
      String n = name(f);
      if (!isJdk(n)) {
        return n;
      }
    }
    return name(frames.get(0));
  }

  static boolean isJdk(String method) {
    return method.startsWith("java.") || method.startsWith("jdk.") || method.startsWith("sun.");
  }

  /**
   * Crypto is recognised anywhere on the stack (Bouncy Castle's SHAKE inside ML-DSA is ML-DSA, not
   * keccak256); everything else by the first frame outside the JDK.
   */
  static String kind(List<RecordedFrame> frames, String owner) {
    boolean keccak = false;
    for (RecordedFrame f : frames) {
      String n = name(f);
      if (n.contains(".mldsa.") || n.contains(".MLDSA")) {
        return "crypto: ML-DSA-65 (Bouncy Castle)";
      }
      if (n.startsWith("org.bouncycastle.math.ec") || n.contains("BouncyCastleSecp256k1")) {
        return "crypto: secp256k1 (Bouncy Castle)";
      }
      if (n.startsWith("fr.acinq")) {
        return "crypto: secp256k1 (libsecp256k1 JNI glue)";
      }
      keccak |= n.contains("Keccak");
    }
    if (keccak) {
      return "crypto: keccak256 (hashes, addresses)";
    }
    if (owner.startsWith("org.bouncycastle")) {
      return "crypto: other Bouncy Castle";
    }
    if (owner.startsWith("com.fasterxml.jackson") || owner.startsWith("io.quarkus.funqy")) {
      return "JSON (Jackson, Funqy binding)";
    }
    if (owner.startsWith("org.hibernate")
        || owner.startsWith("io.vertx.pgclient")
        || owner.startsWith("io.vertx.sqlclient")) {
      return "PostgreSQL (Hibernate Reactive, pg client)";
    }
    if (owner.startsWith("io.vertx.redis")) {
      return "Redis client";
    }
    if (owner.startsWith("io.netty")
        || owner.startsWith("io.vertx")
        || owner.startsWith("io.quarkus.vertx")) {
      return "HTTP and sockets (Netty, Vert.x)";
    }
    if (owner.startsWith("io.smallrye.mutiny") || owner.startsWith("io.smallrye.context")) {
      return "Mutiny and context propagation";
    }
    if (owner.startsWith("io.micrometer")) {
      return "metrics (Micrometer)";
    }
    if (owner.startsWith("org.jboss.log")) {
      return "logging";
    }
    if (owner.startsWith("io.preconf")) {
      return "engine code (io.preconf, outside crypto)";
    }
    if (owner.startsWith("org.jboss.threads")) {
      return "worker pool (JBoss threads)";
    }
    return "other: " + owner.replaceAll("\\.[^.]+\\.[^.]+$", "");
  }
}
