package io.preconf.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.testing.Tries;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.Hash32;
import io.preconf.core.types.Hex;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Properties over random inputs from fixed seeds; see {@link Tries}. */
class MlDsaSignaturesPropertiesTest {
  private static final Bytes PUBLIC_KEY =
      Vectors.bytes(Vectors.load("mldsa.json").get("cases").get(0).get("publicKey"));
  private static final byte[] EDGE_BYTES = {0, 1, 0x7f, (byte) 0x80, (byte) 0xff};

  @Test
  void garbageSignaturesOfTheRightSizeAreFalseNotExceptions() {
    Tries.forAll(
        0x4d4c4453_0001L,
        50,
        r -> new byte[][] {bytes(r, MlDsaSignatures.SIGNATURE_SIZE), bytes(r, Hash32.SIZE)},
        in -> "signature " + Hex.encode(in[0]) + ", message " + Hex.encode(in[1]),
        in ->
            assertThat(MlDsaSignatures.verify(PUBLIC_KEY, Hash32.wrap(in[1]), Bytes.wrap(in[0])))
                .isFalse());
  }

  @Test
  void garbagePublicKeysOfTheRightSizeAreFalseNotExceptions() {
    Tries.forAll(
        0x4d4c4453_0002L,
        50,
        r ->
            new byte[][] {
              bytes(r, MlDsaSignatures.PUBLIC_KEY_SIZE), bytes(r, MlDsaSignatures.SIGNATURE_SIZE)
            },
        in -> "public key " + Hex.encode(in[0]) + ", signature " + Hex.encode(in[1]),
        in ->
            assertThat(MlDsaSignatures.verify(Bytes.wrap(in[0]), Hash32.ZERO, Bytes.wrap(in[1])))
                .isFalse());
  }

  /** Random bytes, or now and then all one edge value (all zero, all 0xff, ...). */
  private static byte[] bytes(SplittableRandom random, int size) {
    byte[] out = new byte[size];
    if (random.nextInt(10) == 0) {
      Arrays.fill(out, EDGE_BYTES[random.nextInt(EDGE_BYTES.length)]);
    } else {
      random.nextBytes(out);
    }
    return out;
  }
}
