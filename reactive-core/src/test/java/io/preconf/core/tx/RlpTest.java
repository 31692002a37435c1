package io.preconf.core.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.preconf.core.tx.Rlp.ListReader;
import io.preconf.core.tx.Rlp.MalformedRlpException;
import io.preconf.core.types.Hex;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The canonical-form rules go-ethereum's rlp package enforces, one at a time. */
class RlpTest {

  private static byte[] hex(String h) {
    return Hex.decode("test input", h);
  }

  /** Reads the first item of the top-level list in {@code h}. */
  private static ListReader firstItem(String h) throws MalformedRlpException {
    ListReader list = Rlp.topLevelList(hex(h), 0, "list");
    list.next("item");
    return list;
  }

  @Test
  void readsShortStringsSingleBytesAndNestedLists() throws Exception {
    // ["dog", 0x05, [], ["cat"]]
    ListReader list = Rlp.topLevelList(hex("0xcb83646f6705c0c483636174"), 0, "list");
    assertThat(list.countRemaining("item")).isEqualTo(4);

    list.nextString("a");
    assertThat(list.payloadStart()).isEqualTo(2);
    assertThat(list.payloadLength()).isEqualTo(3);
    list.nextUint("b", 32);
    assertThat(list.longValue()).isEqualTo(5);
    assertThat(list.nextList("c").hasNext()).isFalse();
    ListReader inner = list.nextList("d");
    inner.nextString("e");
    assertThat(inner.payloadLength()).isEqualTo(3);
    assertThat(inner.hasNext()).isFalse();
    assertThat(list.hasNext()).isFalse();
  }

  @Test
  void countingItemsDoesNotMoveThePosition() throws Exception {
    ListReader list = Rlp.topLevelList(hex("0xc3010203"), 0, "list");
    int before = list.position();
    assertThat(list.countRemaining("item")).isEqualTo(3);
    assertThat(list.position()).isEqualTo(before);
    list.nextUint("x", 1);
    assertThat(list.longValue()).isEqualTo(1);
  }

  @Test
  void acceptsLongFormsFromFiftySixBytes() throws Exception {
    String fiftySix = "11".repeat(56);
    ListReader list = Rlp.topLevelList(hex("0xf83ab838" + fiftySix), 0, "list");
    list.nextString("s");
    assertThat(list.payloadLength()).isEqualTo(56);
  }

  @Test
  void rejectsASingleByteBelow0x80WrappedInAStringHeader() {
    assertThatThrownBy(() -> firstItem("0xc28105"))
        .isInstanceOf(MalformedRlpException.class)
        .hasMessageContaining("single byte 0x05");
  }

  @Test
  void acceptsASingleByteFrom0x80InAStringHeader() throws Exception {
    ListReader item = firstItem("0xc28180");
    assertThat(item.payloadLength()).isEqualTo(1);
  }

  @Test
  void rejectsTheLongStringFormForUnder56Bytes() {
    String fiftyFive = "11".repeat(55);
    assertThatThrownBy(() -> firstItem("0xf839b837" + fiftyFive))
        .isInstanceOf(MalformedRlpException.class)
        .hasMessageContaining("long form for a 55-byte payload");
  }

  @Test
  void rejectsTheLongListFormForUnder56Bytes() {
    assertThatThrownBy(() -> Rlp.topLevelList(hex("0xf80101"), 0, "list"))
        .isInstanceOf(MalformedRlpException.class)
        .hasMessageContaining("long form for a 1-byte payload");
  }

  @Test
  void rejectsALengthWithALeadingZeroByte() {
    String fiftySix = "11".repeat(56);
    assertThatThrownBy(() -> firstItem("0xf83bb90038" + fiftySix))
        .isInstanceOf(MalformedRlpException.class)
        .hasMessageContaining("leading zero");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0xc4830000ff", "0xc3820007", "0xc100"})
  void rejectsIntegersWithLeadingZeroBytes(String encoded) {
    // 0x00 alone is the integer zero written with a leading zero byte; zero is 0x80.
    assertThatThrownBy(
            () -> {
              ListReader list = Rlp.topLevelList(hex(encoded), 0, "list");
              while (list.hasNext()) {
                list.nextUint("n", 32);
              }
            })
        .isInstanceOf(MalformedRlpException.class)
        .hasMessageContaining("leading zero byte");
  }

  @Test
  void readsZeroAsTheEmptyString() throws Exception {
    ListReader list = Rlp.topLevelList(hex("0xc180"), 0, "list");
    list.nextUint("n", 32);
    assertThat(list.longValue()).isZero();
    assertThat(list.bigValue()).isEqualTo(BigInteger.ZERO);
  }

  @Test
  void rejectsIntegersLongerThanAllowed() {
    assertThatThrownBy(
            () -> {
              ListReader list = Rlp.topLevelList(hex("0xc3820101"), 0, "list");
              list.nextUint("n", 1);
            })
        .isInstanceOf(MalformedRlpException.class)
        .hasMessageContaining("n is 2 bytes long");
  }

  @Test
  void readsAFull256BitInteger() throws Exception {
    ListReader list = Rlp.topLevelList(hex("0xe1a0" + "ff".repeat(32)), 0, "list");
    list.nextUint("n", 32);
    assertThat(list.fitsLong()).isFalse();
    assertThat(list.bigValue()).isEqualTo(BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE));
  }

  @Test
  void tellsWhenAnIntegerFitsALong() throws Exception {
    ListReader list = Rlp.topLevelList(hex("0xd2887fffffffffffffff888000000000000000"), 0, "l");
    list.nextUint("max", 32);
    assertThat(list.fitsLong()).isTrue();
    assertThat(list.longValue()).isEqualTo(Long.MAX_VALUE);
    list.nextUint("max+1", 32);
    assertThat(list.fitsLong()).isFalse();
    assertThat(list.bigValue()).isEqualTo(BigInteger.ONE.shiftLeft(63));
  }

  @Test
  void rejectsAStringThatRunsPastTheEnd() {
    assertThatThrownBy(() -> Rlp.topLevelList(hex("0x850102"), 0, "list"))
        .isInstanceOf(MalformedRlpException.class)
        .hasMessageContaining("claims a payload of 5 bytes");
  }

  @Test
  void rejectsAnItemThatRunsPastItsEnclosingListThoughTheInputContinues() {
    // Outer list of 4 bytes: [c1 82 01 02]; the inner list c1 holds only 0x82, which claims 2.
    assertThatThrownBy(
            () -> {
              ListReader outer = Rlp.topLevelList(hex("0xc4c1820102"), 0, "list");
              outer.nextList("inner").next("item");
            })
        .isInstanceOf(MalformedRlpException.class)
        .hasMessageContaining("only 0 remain");
  }

  @Test
  void rejectsALengthOfLengthThatRunsPastTheEnd() {
    assertThatThrownBy(() -> Rlp.topLevelList(hex("0xfa0101"), 0, "list"))
        .isInstanceOf(MalformedRlpException.class)
        .hasMessageContaining("length of length");
  }

  @Test
  void rejectsAnEightByteLengthThatWouldOverflow() {
    assertThatThrownBy(() -> Rlp.topLevelList(hex("0xffffffffffffffffff01"), 0, "list"))
        .isInstanceOf(MalformedRlpException.class)
        .hasMessageContaining("18446744073709551615");
  }

  @Test
  void rejectsTrailingBytesAfterTheTopLevelList() {
    assertThatThrownBy(() -> Rlp.topLevelList(hex("0xc0c0"), 0, "list"))
        .isInstanceOf(MalformedRlpException.class)
        .hasMessageContaining("1 trailing bytes");
  }

  @Test
  void rejectsAByteStringAtTheTopLevel() {
    assertThatThrownBy(() -> Rlp.topLevelList(hex("0x80"), 0, "list"))
        .isInstanceOf(MalformedRlpException.class)
        .hasMessageContaining("must be an RLP list");
  }

  @Test
  void reportsAMissingItemAtTheEndOfAList() {
    assertThatThrownBy(() -> Rlp.topLevelList(hex("0xc0"), 0, "list").next("nonce"))
        .isInstanceOf(MalformedRlpException.class)
        .hasMessageStartingWith("nonce is missing");
  }

  @Test
  void rejectsAListWhereAStringIsExpectedAndTheReverse() {
    assertThatThrownBy(() -> Rlp.topLevelList(hex("0xc1c0"), 0, "list").nextString("to"))
        .hasMessageContaining("to at offset 1 must be a byte string");
    assertThatThrownBy(() -> Rlp.topLevelList(hex("0xc180"), 0, "list").nextList("accessList"))
        .hasMessageContaining("accessList at offset 1 must be a list");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 55, 56, 255, 256, 65535, 65536, 1 << 24, Integer.MAX_VALUE})
  void writesListHeadersThatReadBackToTheSameLength(int payloadLength) {
    byte[] header = new byte[9];
    int n = Rlp.writeListHeader(payloadLength, header, 0);
    assertThat(n).isEqualTo(Rlp.listHeaderLength(payloadLength));
    int first = header[0] & 0xff;
    if (payloadLength < 56) {
      assertThat(first).isEqualTo(0xc0 + payloadLength);
    } else {
      assertThat(first).isEqualTo(0xf7 + n - 1);
      assertThat(header[1]).isNotZero();
      assertThat(new BigInteger(1, java.util.Arrays.copyOfRange(header, 1, n)).intValue())
          .isEqualTo(payloadLength);
    }
  }

  @Test
  void encodesIntegersCanonically() {
    assertThat(Hex.encode(Rlp.encodeUint(0))).isEqualTo("0x80");
    assertThat(Hex.encode(Rlp.encodeUint(1))).isEqualTo("0x01");
    assertThat(Hex.encode(Rlp.encodeUint(0x7f))).isEqualTo("0x7f");
    assertThat(Hex.encode(Rlp.encodeUint(0x80))).isEqualTo("0x8180");
    assertThat(Hex.encode(Rlp.encodeUint(8453))).isEqualTo("0x822105");
    assertThat(Hex.encode(Rlp.encodeUint((1L << 53) - 1))).isEqualTo("0x871fffffffffffff");
  }
}
