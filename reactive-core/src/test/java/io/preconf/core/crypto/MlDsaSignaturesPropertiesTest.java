package io.preconf.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.types.Bytes;
import io.preconf.core.types.Hash32;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

class MlDsaSignaturesPropertiesTest {
  private static final Bytes PUBLIC_KEY =
      Vectors.bytes(Vectors.load("mldsa.json").get("cases").get(0).get("publicKey"));

  @Property(tries = 50)
  void garbageSignaturesOfTheRightSizeAreFalseNotExceptions(
      @ForAll @Size(value = MlDsaSignatures.SIGNATURE_SIZE) byte[] garbage,
      @ForAll @Size(value = Hash32.SIZE) byte[] message) {
    assertThat(MlDsaSignatures.verify(PUBLIC_KEY, Hash32.wrap(message), Bytes.wrap(garbage)))
        .isFalse();
  }

  @Property(tries = 50)
  void garbagePublicKeysOfTheRightSizeAreFalseNotExceptions(
      @ForAll @Size(value = MlDsaSignatures.PUBLIC_KEY_SIZE) byte[] garbageKey,
      @ForAll @Size(value = MlDsaSignatures.SIGNATURE_SIZE) byte[] garbage) {
    assertThat(MlDsaSignatures.verify(Bytes.wrap(garbageKey), Hash32.ZERO, Bytes.wrap(garbage)))
        .isFalse();
  }
}
