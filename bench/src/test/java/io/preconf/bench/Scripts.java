package io.preconf.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Runs a function of one of bench/lib's shell scripts, as bench/e2e.sh calls it. */
final class Scripts {
  private Scripts() {}

  /**
   * Runs {@code call} in bash with {@code script} sourced, {@code input} on its stdin; its stdout,
   * once it has exited 0.
   */
  static String bash(Path script, String call, String input)
      throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("bash", "-c", ". " + script + " && " + call)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }
}
