package io.preconf.infra.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.preconf.core.commit.Commitment;
import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.testing.Samples;
import io.preconf.core.types.Bytes;
import io.preconf.wire.PreconfirmationCodec;
import io.preconf.wire.WireFormatException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** The commitment's bytes as Redis keeps them, and an older engine's JSON, read back alike. */
class CommitmentBytesTest {
  private static final int ML_DSA_65 = 3_309;

  private static Commitment signed(boolean atomic, boolean pq) {
    byte[] ecdsa = new byte[65];
    byte[] mlDsa = new byte[ML_DSA_65];
    ThreadLocalRandom.current().nextBytes(ecdsa);
    ThreadLocalRandom.current().nextBytes(mlDsa);
    return new Commitment(
        Samples.randomHash(),
        1_765_000_000_000L,
        1_765_003_600_000L,
        atomic,
        Samples.randomAddress(),
        Bytes.wrap(ecdsa),
        pq ? Bytes.wrap(mlDsa) : null);
  }

  @Test
  void everyFieldReadsBackAndTheSignaturesTakeTheirBytesNotTheirHex() {
    for (boolean atomic : new boolean[] {false, true}) {
      for (boolean pq : new boolean[] {false, true}) {
        Commitment c = signed(atomic, pq);
        byte[] stored = CommitmentBytes.encode(c);

        assertThat(CommitmentBytes.decode(stored)).isEqualTo(c);
        assertThat(stored).hasSize(1 + 32 + 8 + 8 + 1 + 20 + 2 + 65 + (pq ? ML_DSA_65 : 0));
      }
    }
    Commitment c = signed(false, true);
    assertThat(CommitmentBytes.encode(c).length * 2)
        .isLessThan(PreconfirmationCodec.commitmentToJson(c).length());
  }

  @Test
  void theJsonAnOlderEngineWroteStillReads() {
    Commitment c = signed(true, true);
    byte[] json = PreconfirmationCodec.commitmentToJson(c).getBytes(StandardCharsets.UTF_8);

    assertThat(CommitmentBytes.decode(json)).isEqualTo(c);
  }

  @Test
  void aValueOfAnotherVersionIsRefusedNamingItsFirstByte() {
    byte[] stored = CommitmentBytes.encode(signed(false, true));
    stored[0] = 7;

    assertThatThrownBy(() -> CommitmentBytes.decode(stored))
        .isInstanceOf(WireFormatException.class)
        .satisfies(e -> assertCoded(e, Reason.MALFORMED_REQUEST))
        .hasMessageContaining("starting with byte 7");
  }

  @Test
  void aCutValueIsRefusedNamingItsLength() {
    byte[] stored = CommitmentBytes.encode(signed(false, false));

    assertThatThrownBy(() -> CommitmentBytes.decode(Arrays.copyOf(stored, 40)))
        .satisfies(e -> assertCoded(e, Reason.WRONG_LENGTH))
        .hasMessageContaining("of 40 bytes");
    assertThatThrownBy(() -> CommitmentBytes.decode(Arrays.copyOf(stored, stored.length - 1)))
        .satisfies(e -> assertCoded(e, Reason.WRONG_LENGTH))
        .hasMessageContaining("65 bytes but only 64 follow");
  }

  @Test
  void bytesAfterTheEcdsaSignatureOfACommitmentWithoutAnMlDsaOneAreRefused() {
    byte[] stored = Arrays.copyOf(CommitmentBytes.encode(signed(false, false)), 140);

    assertThatThrownBy(() -> CommitmentBytes.decode(stored))
        .satisfies(e -> assertCoded(e, Reason.WRONG_LENGTH))
        .hasMessageContaining("no ML-DSA signature but 3 bytes after");
  }

  private static void assertCoded(Throwable e, Reason reason) {
    WireFormatException w = (WireFormatException) e;
    assertThat(w.rejection().code()).isEqualTo(ErrorCode.INVALID_PRECONFIRMATION);
    assertThat(w.rejection().reason()).isEqualTo(reason);
  }
}
