package io.preconf.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Verifies preconfirmations with standard Ethereum tooling and nothing of ours: ethers'
 * verifyTypedData, OpenZeppelin's StandardMerkleTree.verify and noble's ML-DSA-65, as
 * reactive-core/vectors/verify-preconfirmation.mjs runs them.
 */
public final class IndependentVerifier {
  /** reactive-core/vectors, beside the module whose tests run. */
  private static final Path VECTORS =
      Path.of("..", "reactive-core", "vectors").toAbsolutePath().normalize();

  private IndependentVerifier() {}

  /**
   * What the script prints for a JSON list of preconfirmations (spec section 4), having checked
   * that it exits 0 when {@code passes} and not 0 otherwise.
   */
  public static String verify(String preconfirmationsJson, String pqPublicKeyHex, boolean passes)
      throws IOException, InterruptedException {
    ensureNodeModules();
    Path file = Files.createTempFile("preconfirmations-", ".json");
    try {
      Files.writeString(file, preconfirmationsJson);
      Result r =
          exec(List.of("node", "verify-preconfirmation.mjs", file.toString(), pqPublicKeyHex));
      if (passes) {
        assertThat(r.exit).as("the verifier exited %d: %s", r.exit, r.output).isZero();
      } else {
        assertThat(r.exit).as("the verifier should fail: %s", r.output).isNotZero();
      }
      return r.output;
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static void ensureNodeModules() throws IOException, InterruptedException {
    if (!Files.isDirectory(VECTORS.resolve("node_modules/ethers"))) {
      Result r = exec(List.of("npm", "ci", "--no-audit", "--no-fund"));
      assertThat(r.exit).as("npm ci exited %d: %s", r.exit, r.output).isZero();
    }
  }

  private record Result(int exit, String output) {}

  private static Result exec(List<String> command) throws IOException, InterruptedException {
    Path log = Files.createTempFile("node-", ".log");
    try {
      Process p =
          new ProcessBuilder(command)
              .directory(VECTORS.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!p.waitFor(300, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(command + " did not finish in 300 s");
      }
      return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
