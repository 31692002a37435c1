package io.preconf.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PerfTopTest {
  /**
   * Four samples as perf script prints them: the engine (two threads), Redis, and the idle loop.
   */
  private static final String SCRIPT =
      """
      vert.x-eventloo  4242
      \tffffffff81000130 do_syscall_64+0x30 ([kernel.kallsyms])
      \t7f00000000a0 [unknown] ([JIT] tid 4243)

      executor-thread  4242
      \t7f0000001000 secp256k1_ecdsa_recover (/tmp/secp256k1-1-libsecp256k1-jni.so (deleted))

      redis-server  77
      \tffffffff81200000 ext4_sync_file+0x10 ([kernel.kallsyms])
      \tffffffff81100000 do_fsync+0x20 ([kernel.kallsyms])
      \t7f0000002000 fdatasync (/usr/lib/x86_64-linux-gnu/libc.so.6)

              swapper      0
      \tffffffff81300000 default_idle ([kernel.kallsyms])
      """;

  @Test
  void samplesGoToTheirProcessAndTheirFunctionsAreCountedOncePerSample() throws Exception {
    String md =
        PerfTop.summary(new BufferedReader(new StringReader(SCRIPT)), 10, Map.of("4242", "engine"));

    assertThat(md).contains("| engine | 50.0% |", "| redis-server | 25.0% |", "| idle | 25.0% |");
    assertThat(md).contains("### engine (50.0% of the machine)");
    assertThat(md).contains("| kernel | 50.0% |", "| libsecp256k1 | 50.0% |");
    assertThat(md)
        .contains("| `[k] do_syscall_64` | 50.0% |", "| `secp256k1_ecdsa_recover` | 50.0% |");
    assertThat(md)
        .contains("### redis-server (25.0% of the machine)", "| `[k] do_fsync` | 100.0% |");
    assertThat(md).contains("| `fdatasync` | 100.0% |");
    assertThat(md).doesNotContain("### idle");
  }
}
