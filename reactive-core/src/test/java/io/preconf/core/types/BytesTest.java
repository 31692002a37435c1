package io.preconf.core.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BytesTest {

  @Test
  void equalContentsHashAlikeOnEveryCallAsTheArrayDoes() {
    byte[] signature = new byte[3_309];
    for (int i = 0; i < signature.length; i++) {
      signature[i] = (byte) (i * 7 + 3);
    }
    Bytes a = Bytes.wrap(signature.clone());
    Bytes b = Bytes.fromHex("signature", a.toHex());

    assertThat(a.hashCode()).isEqualTo(Arrays.hashCode(signature));
    assertThat(a.hashCode()).isEqualTo(a.hashCode()).isEqualTo(b.hashCode());
    Set<Bytes> set = new HashSet<>(Set.of(a));
    assertThat(set.contains(b)).isTrue();
    assertThat(set.contains(Bytes.wrap(new byte[] {1, 2}))).isFalse();
  }

  @Test
  void contentsWhoseHashIsZeroStillHashToZero() {
    // Arrays.hashCode of an empty array is 1; of {-31} it is 31 * 1 + (-31) = 0.
    Bytes zero = Bytes.wrap(new byte[] {-31});

    assertThat(zero.hashCode()).isZero();
    assertThat(zero.hashCode()).isZero();
    assertThat(zero).isEqualTo(Bytes.wrap(new byte[] {-31}));
  }
}
