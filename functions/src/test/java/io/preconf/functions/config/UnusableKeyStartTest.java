package io.preconf.functions.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.infra.LocalServers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A functions process whose signer key is unusable does not start: it exits at once with the
 * setting to fix in its log, rather than starting and answering every request with an internal
 * error. The servers run, so nothing but the key can stop it.
 */
@QuarkusMainTest
@TestProfile(UnusableKeyStartTest.MalformedKey.class)
@QuarkusTestResource(LocalServers.class)
class UnusableKeyStartTest {

  /** A private key that is not hex, and no development key to fall back on. */
  public static final class MalformedKey implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "preconf.signer.private-key", "0xnot-hex",
          "preconf.signer.allow-dev-key", "false",
          "quarkus.http.test-port", "0",
          "quarkus.lambda.mock-event-server.test-port", "0");
    }
  }

  /** Bounded: a process that does start (keys loaded at the first request only) never exits. */
  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aProcessWithAMalformedKeyStopsAtStartNamingTheSetting(QuarkusMainLauncher launcher) {
    LaunchResult result = launcher.launch();

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.getOutput() + result.getErrorOutput())
        .contains("preconf.signer.private-key is not hex")
        .doesNotContain("not-hex");
  }
}
