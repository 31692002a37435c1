package io.preconf.infra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the scripts in infra/scripts from the tests of any module, as a person would. */
public final class Scripts {
  private Scripts() {}

  /** What a script printed (standard output and error together) and how it ended. */
  public record Run(int exitCode, String output) {}

  /** Runs {@code infra/scripts/<script> args} with {@code env} added to this process's. */
  public static Run run(String script, Map<String, String> env, Duration limit, String... args) {
    Path path = path(script);
    try {
      Path log = Files.createTempFile(script + "-", ".log");
      List<String> command = new ArrayList<>(List.of("bash", path.toString()));
      command.addAll(List.of(args));
      ProcessBuilder pb =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().putAll(env);
      Process p = pb.start();
      if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(
            script + " " + String.join(" ", args) + " did not finish in " + limit);
      }
      String output = Files.readString(log, StandardCharsets.UTF_8).strip();
      Files.deleteIfExists(log);
      return new Run(p.exitValue(), output);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** infra/scripts/{@code script}, seen from infra itself or from a sibling module. */
  private static Path path(String script) {
    for (Path p :
        new Path[] {Path.of("scripts", script), Path.of("..", "infra", "scripts", script)}) {
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new IllegalStateException(
        script
            + " not found from "
            + Path.of("").toAbsolutePath()
            + " (looked in scripts/ and ../infra/scripts/)");
  }
}
