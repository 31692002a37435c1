package io.preconf.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Summarises a machine-wide {@code perf record -a -g} profile as Markdown: the share of the
 * machine's samples each process of the benchmark took, and, per process, where its samples ran
 * (its own code, the kernel, the JVM's compiled code, libraries) and the functions seen most on its
 * stacks, each counted once per sample (inclusive). Kernel functions show what the storage and the
 * network cost the process: fdatasync, sends, wake-ups.
 *
 * <p>Reads {@code perf script -F comm,pid,ip,sym,dso} on standard input. Arguments: how many
 * functions to list per process, then {@code name:pid} pairs naming processes by pid (the JVMs,
 * whose threads have their own names); a process not named is known by its command's name
 * (postgres, redis-server, loadgen), and the idle loop is "idle".
 */
public final class PerfTop {
  /** One process's samples. */
  private static final class Process {
    int samples;
    final Map<String, Integer> byObject = new HashMap<>();
    final Map<String, Integer> inclusive = new HashMap<>();
  }

  public static void main(String[] args) throws Exception {
    int top = Integer.parseInt(args[0]);
    Map<String, String> named = new HashMap<>();
    for (int i = 1; i < args.length; i++) {
      String[] pair = args[i].split(":", 2);
      named.put(pair[1], pair[0]);
    }
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    System.out.print(summary(in, top, named));
  }

  /**
   * The Markdown summary of {@code perf script} output.
   *
   * @param named process names by pid
   */
  static String summary(BufferedReader in, int top, Map<String, String> named) throws IOException {
    Map<String, Process> processes = new LinkedHashMap<>();
    int total = 0;
    String who = null;
    List<String[]> frames = new ArrayList<>();
    for (String line = in.readLine(); ; line = in.readLine()) {
      // A sample's stack lines start with a tab; its header (the command, right-aligned when perf
      // pads it, and the pid) does not.
      boolean header = line != null && !line.isBlank() && line.charAt(0) != '\t';
      if (line == null || header) {
        if (who != null) {
          total++;
          add(processes.computeIfAbsent(who, k -> new Process()), frames);
        }
        if (line == null) {
          break;
        }
        who = process(line, named);
        frames.clear();
      } else if (!line.isBlank()) {
        frames.add(frame(line.trim()));
      }
    }
    return print(processes, total, top);
  }

  /**
   * The process a sample header belongs to: "command pid", the command possibly padded and made of
   * several words (a JVM thread's name), the pid last.
   */
  private static String process(String header, Map<String, String> named) {
    String trimmed = header.trim();
    int last = trimmed.lastIndexOf(' ');
    String pid = trimmed.substring(last + 1);
    if (named.containsKey(pid)) {
      return named.get(pid);
    }
    String comm = last < 0 ? trimmed : trimmed.substring(0, last).trim();
    if (comm.equals("swapper")) {
      return "idle";
    }
    if (comm.startsWith("kworker") || comm.startsWith("ksoftirqd") || comm.startsWith("jbd2")) {
      return "kernel threads";
    }
    return comm;
  }

  /** A stack line "ip symbol (object)": {symbol, object}. */
  private static String[] frame(String line) {
    int space = line.indexOf(' ');
    String rest = space < 0 ? "" : line.substring(space + 1).trim();
    String object = "";
    int open = objectStart(rest);
    if (open > 0) {
      object = rest.substring(open + 1, rest.length() - 1);
      rest = rest.substring(0, open).trim();
    }
    int offset = rest.lastIndexOf("+0x");
    if (offset > 0) {
      rest = rest.substring(0, offset);
    }
    return new String[] {rest, object};
  }

  /**
   * Where the trailing "(object)" of a stack line opens, or -1: the parenthesis matching the last,
   * since an object may end in one of its own ("libx.so (deleted)").
   */
  private static int objectStart(String rest) {
    if (!rest.endsWith(")")) {
      return -1;
    }
    int depth = 0;
    for (int i = rest.length() - 1; i >= 0; i--) {
      char c = rest.charAt(i);
      if (c == ')') {
        depth++;
      } else if (c == '(' && --depth == 0) {
        return i;
      }
    }
    return -1;
  }

  private static void add(Process p, List<String[]> frames) {
    p.samples++;
    String object = frames.isEmpty() ? "(no stack)" : kind(frames.get(0)[1]);
    p.byObject.merge(object, 1, Integer::sum);
    Set<String> seen = new HashSet<>();
    for (String[] f : frames) {
      String symbol = f[0];
      if (symbol.isEmpty() || symbol.equals("[unknown]")) {
        continue;
      }
      if (f[1].contains("kernel")) {
        symbol = "[k] " + symbol;
      }
      if (seen.add(symbol)) {
        p.inclusive.merge(symbol, 1, Integer::sum);
      }
    }
  }

  /** What a frame's object is: the kernel, the JVM's compiled code, or the library's name. */
  private static String kind(String object) {
    if (object.contains("kernel")) {
      return "kernel";
    }
    if (object.startsWith("/tmp/perf-") || object.contains("[JIT]") || object.isEmpty()) {
      return "JIT-compiled or unknown";
    }
    String base = object.substring(object.lastIndexOf('/') + 1);
    if (base.contains("secp256k1")) {
      return "libsecp256k1";
    }
    if (base.contains("netty_transport")) {
      return "netty epoll";
    }
    return base;
  }

  private static String print(Map<String, Process> processes, int total, int top) {
    StringBuilder out = new StringBuilder();
    out.append("| process | share of the machine's samples |\n|---|---:|\n");
    List<Map.Entry<String, Process>> byShare = new ArrayList<>(processes.entrySet());
    byShare.sort((x, y) -> Integer.compare(y.getValue().samples, x.getValue().samples));
    for (Map.Entry<String, Process> e : byShare) {
      out.append(row(e.getKey(), e.getValue().samples, total));
    }
    out.append('\n');
    for (Map.Entry<String, Process> e : byShare) {
      Process p = e.getValue();
      if (e.getKey().equals("idle") || p.samples * 100 < total) {
        continue;
      }
      out.append("### ")
          .append(e.getKey())
          .append(String.format(Locale.ROOT, " (%.1f%% of the machine)%n%n", pct(p.samples, total)))
          .append("| where the sample ran | share of the process |\n|---|---:|\n");
      sorted(p.byObject).stream()
          .limit(8)
          .forEach(o -> out.append(row(o.getKey(), o.getValue(), p.samples)));
      out.append("\n| function anywhere on the stack | share of the process |\n|---|---:|\n");
      sorted(p.inclusive).stream()
          .limit(top)
          .forEach(o -> out.append(row("`" + o.getKey() + "`", o.getValue(), p.samples)));
      out.append('\n');
    }
    return out.toString();
  }

  private static List<Map.Entry<String, Integer>> sorted(Map<String, Integer> counts) {
    List<Map.Entry<String, Integer>> list = new ArrayList<>(counts.entrySet());
    list.sort((x, y) -> Integer.compare(y.getValue(), x.getValue()));
    return list;
  }

  private static String row(String name, int count, int of) {
    return String.format(Locale.ROOT, "| %s | %.1f%% |%n", name, pct(count, of));
  }

  private static double pct(int count, int of) {
    return of == 0 ? 0 : 100.0 * count / of;
  }
}
