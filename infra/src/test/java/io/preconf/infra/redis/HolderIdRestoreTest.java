package io.preconf.infra.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A process restored from a snapshot answers to a lane holder id of its own: the id drawn before
 * the snapshot is drawn again after each restore, through the {@code org.crac} hooks the Lambda
 * runtime calls. The process runs in a JVM of its own, pointed (as the Lambda runtime points its
 * JVM) at a CRaC implementation: here {@link io.preconf.infra.redis.snapshot.Core}.
 */
class HolderIdRestoreTest {

  @Test
  void eachRestoreDrawsANewHolderId() throws Exception {
    List<String> ids = List.of(run("io.preconf.infra.redis.snapshot").split(" "));

    assertThat(ids).hasSize(3).allMatch(id -> id.matches("[0-9a-f]{16}"));
    assertThat(ids)
        .as("before the snapshot, after one restore, after another")
        .doesNotHaveDuplicates();
  }

  /** What {@link RestoredProcess} prints (stdout and stderr) in a JVM of its own. */
  private static String run(String cracImplementation) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.crac.Core.Compat=" + cracImplementation,
                "-cp",
                System.getProperty("java.class.path"),
                RestoredProcess.class.getName())
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(output).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
    return output;
  }
}
