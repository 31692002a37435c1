package io.preconf.functions.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.crypto.Secp256k1Backend;
import io.preconf.core.engine.Signers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * A signer key in every form it may be configured in, well-formed or not: whatever reaches a log
 * line, stdout, stderr or an exception's message holds no fragment of it.
 */
class SignerKeysTest {
  private static final int FRAGMENT = 8;

  @Test
  void noFormOfASignerKeyReachesTheLogOrAnError() {
    String hex = randomHex();
    String seed = randomHex();
    List<String> forms =
        List.of(
            "0x" + hex,
            hex,
            "0X" + hex.toUpperCase(),
            "  0x" + hex + "\n",
            "zz" + hex,
            "0x" + hex + "0",
            hex.substring(0, 40));

    List<String> captured = new ArrayList<>();
    Handler handler = capture(captured);
    Logger root = Logger.getLogger("");
    root.addHandler(handler);
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    System.setOut(new PrintStream(printed, true));
    System.setErr(new PrintStream(printed, true));
    try {
      for (String form : forms) {
        try {
          Signers s = SignerKeys.load(signer(form, seed), true, Secp256k1Backend.bouncyCastle());
          captured.add("signer " + s.address());
        } catch (RuntimeException e) {
          for (Throwable t = e; t != null; t = t.getCause()) {
            captured.add(String.valueOf(t.getMessage()));
          }
        }
      }
    } finally {
      System.setOut(out);
      System.setErr(err);
      root.removeHandler(handler);
    }
    captured.add(printed.toString());

    String all = String.join("\n", captured).toLowerCase();
    for (String secret : List.of(hex, seed)) {
      for (int i = 0; i + FRAGMENT <= secret.length(); i++) {
        assertThat(all).doesNotContain(secret.substring(i, i + FRAGMENT));
      }
    }
    // The well-formed ones were taken, whatever their prefix, case or whitespace.
    assertThat(captured.stream().filter(c -> c.startsWith("signer ")).distinct()).hasSize(1);
    assertThat(captured.stream().filter(c -> c.startsWith("signer "))).hasSize(4);
    assertThat(all).contains("preconf.signer.private-key");
  }

  private static String randomHex() {
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    b[0] &= 0x7f;
    b[31] |= 1;
    return HexFormat.of().formatHex(b);
  }

  private static Handler capture(List<String> into) {
    return new Handler() {
      @Override
      public void publish(LogRecord r) {
        into.add(r.getMessage() + " " + (r.getThrown() == null ? "" : r.getThrown()));
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
  }

  private static PreconfConfig.Signer signer(String key, String seed) {
    return new PreconfConfig.Signer() {
      @Override
      public Optional<String> privateKey() {
        return Optional.of(key);
      }

      @Override
      public Optional<String> privateKeySecretArn() {
        return Optional.empty();
      }

      @Override
      public Optional<String> pqSeed() {
        return Optional.of(seed);
      }

      @Override
      public Optional<String> pqSeedSecretArn() {
        return Optional.empty();
      }

      @Override
      public Optional<String> address() {
        return Optional.empty();
      }

      @Override
      public Optional<String> pqPublicKey() {
        return Optional.empty();
      }

      @Override
      public Optional<String> pqPublicKeySecretArn() {
        return Optional.empty();
      }

      @Override
      public Optional<String> keyGeneration() {
        return Optional.empty();
      }

      @Override
      public boolean allowDevKey() {
        return false;
      }
    };
  }
}
