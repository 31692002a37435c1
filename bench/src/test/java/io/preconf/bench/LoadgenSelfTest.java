package io.preconf.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The load generator (bench/loadgen/loadgen.c) measures what it must: built here with the machine's
 * C compiler, its self-test drives a server of its own that answers after a known delay and fails
 * when the p50 is not near that delay, when requests sent late or queued for a connection are not
 * measured late, when outcomes are miscounted, or when the machine's busy time over a run holds
 * less than the generator's and the server's own CPU time.
 */
class LoadgenSelfTest {
  static final Path SOURCE = Path.of("loadgen/loadgen.c");
  static final Path BINARY = Path.of("target/loadgen-selftest");

  @Test
  void measuresFromEachRequestsDueTimeAndCountsOutcomesByKind() throws Exception {
    assumeTrue(run("gcc", "--version").exit == 0, "no C compiler (gcc) on this machine");
    Ran build =
        run(
            "gcc",
            "-O2",
            "-Wall",
            "-Wextra",
            "-Werror",
            "-o",
            BINARY.toString(),
            SOURCE.toString());
    assertThat(build.exit).as(build.output).isZero();

    Ran test = run(BINARY.toString(), "selftest");

    assertThat(test.output).contains("self-test: all checks passed").doesNotContain("FAILED");
    assertThat(test.exit).isZero();
  }

  /** The generator drives the local engine only: any other host is refused before a request. */
  @Test
  void refusesAHostOtherThanLoopback() throws Exception {
    assumeTrue(run("gcc", "--version").exit == 0, "no C compiler (gcc) on this machine");
    Path binary = Path.of("target/loadgen-args");
    assertThat(run("gcc", "-O2", "-o", binary.toString(), SOURCE.toString()).exit).isZero();

    Ran ran = run(binary.toString(), "run", "host=10.0.0.1", "bodies=/dev/null");

    assertThat(ran.exit).isEqualTo(2);
    assertThat(ran.output).contains("only talks to 127.0.0.1, not 10.0.0.1");
  }

  record Ran(int exit, String output) {}

  static Ran run(String... command) throws IOException, InterruptedException {
    Path log = Files.createTempFile("loadgen", ".log");
    try {
      Process p;
      try {
        p =
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
      } catch (IOException notInstalled) {
        return new Ran(127, notInstalled.getMessage());
      }
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Ran(-1, "timed out: " + Files.readString(log, StandardCharsets.UTF_8));
      }
      return new Ran(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
