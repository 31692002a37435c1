package io.preconf.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.types.Hex;
import io.preconf.core.types.MalformedValueException;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The eight-at-a-time hex of a body's bytes agrees with the core's {@link Hex}, which reads one
 * character at a time, on every byte value at every place of a word.
 */
class HexTextTest {
  private static final SplittableRandom RANDOM = new SplittableRandom(20_261_206);

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** What the core decodes from {@code text}, or null where it refuses it. */
  private static byte[] core(byte[] text) {
    try {
      return Hex.decode("value", new String(text, StandardCharsets.ISO_8859_1));
    } catch (MalformedValueException e) {
      return null;
    }
  }

  @Test
  void decodesAsTheCoreDoesWithAnyByteAtAnyPlace() {
    for (int length : new int[] {0, 1, 3, 4, 5, 8, 33, 65}) {
      byte[] bytes = new byte[length];
      RANDOM.nextBytes(bytes);
      String hex = Hex.encode(bytes);
      byte[] lower = ascii(hex);
      byte[] mixed = ascii("0X" + hex.substring(2).toUpperCase(java.util.Locale.ROOT));
      assertThat(HexText.decode(lower, 0, lower.length)).isEqualTo(bytes);
      assertThat(HexText.decode(mixed, 0, mixed.length)).isEqualTo(bytes);
      for (int at = 2; at < lower.length; at++) {
        for (int c = 0; c < 256; c++) {
          byte[] text = lower.clone();
          text[at] = (byte) c;
          assertThat(HexText.decode(text, 0, text.length))
              .as("byte %d at %d of %d", c, at, text.length)
              .isEqualTo(core(text));
        }
      }
    }
    assertThat(HexText.decode(ascii("0x123"), 0, 5)).isNull();
    assertThat(HexText.decode(ascii("1x12"), 0, 4)).isNull();
    assertThat(HexText.decode(ascii("\"0xab\""), 1, 5)).containsExactly(0xab);
  }

  @Test
  void spellsOnlyTheLowercaseDigitsOfTheBytesThemselves() {
    byte[] bytes = new byte[37];
    RANDOM.nextBytes(bytes);
    byte[] text = ascii("\"" + Hex.encode(bytes) + "\"");
    assertThat(HexText.spells(text, 3, bytes)).isTrue();
    for (int at = 3; at < text.length - 1; at++) {
      for (int c = 0; c < 256; c++) {
        if (c == text[at]) {
          continue;
        }
        byte[] other = text.clone();
        other[at] = (byte) c;
        assertThat(HexText.spells(other, 3, bytes)).as("byte %d at %d", c, at).isFalse();
      }
    }
    assertThat(HexText.spells(text, text.length - 10, bytes)).isFalse();
    assertThat(HexText.spells(text, -1, bytes)).isFalse();
  }

  @Test
  void findsTheFirstByteAStringCannotHoldPlainWhereverItLies() {
    for (int length = 1; length < 40; length++) {
      byte[] plain = new byte[length];
      for (int i = 0; i < length; i++) {
        plain[i] = (byte) ('#' + RANDOM.nextInt(0x7f - '#'));
        if (plain[i] == '\\') {
          plain[i] = 'z';
        }
      }
      assertThat(HexText.firstSpecial(plain, 0)).isEqualTo(-1);
      for (int at = 0; at < length; at++) {
        for (int c : new int[] {'"', '\\', 0, 0x1f, 0x80, 0xff, '\n'}) {
          byte[] text = plain.clone();
          text[at] = (byte) c;
          assertThat(HexText.firstSpecial(text, 0)).as("%d at %d", c, at).isEqualTo(at);
          if (at + 1 < length) {
            text[at + 1] = '"';
            assertThat(HexText.firstSpecial(text, 0)).isEqualTo(at);
          }
        }
      }
      assertThat(HexText.firstSpecial(plain, length)).isEqualTo(-1);
    }
  }
}
