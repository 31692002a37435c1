package io.preconf.core.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.testing.EngineFixture;
import io.preconf.core.tx.AccessListEntry;
import io.preconf.core.tx.DecodedTransaction;
import io.preconf.core.tx.TransactionBuilder;
import io.preconf.core.tx.TransactionDecoder;
import io.preconf.core.tx.TxType;
import io.preconf.core.types.Address;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each term of the intrinsic gas, alone, on transactions signed and decoded as the engine takes
 * them. The expected numbers are the EIPs' constants written out, not the class's own.
 */
class IntrinsicGasTest {
  private static final ChainId CHAIN = ChainId.of(31_337);
  private static final Address TO = Address.fromHex("0x00000000000000000000000000000000000000aa");

  @ParameterizedTest
  @EnumSource(TxType.class)
  void aTransferWithoutDataCosts21000InEveryType(TxType type) {
    DecodedTransaction tx = decoded(transfer().type(type));

    assertThat(IntrinsicGas.standard(tx)).isEqualTo(21_000);
    assertThat(IntrinsicGas.calldataFloor(tx)).isEqualTo(21_000);
    assertThat(IntrinsicGas.required(tx, true)).isEqualTo(21_000);
    assertThat(IntrinsicGas.required(tx, false)).isEqualTo(21_000);
  }

  @ParameterizedTest
  @CsvSource({"1, 21016", "2, 21032", "100, 22600"})
  void eachNonZeroDataByteCosts16(int bytes, long gas) {
    DecodedTransaction tx = decoded(transfer().data(filled(bytes, 0x5a)));

    assertThat(tx.nonZeroDataBytes()).isEqualTo(bytes);
    assertThat(IntrinsicGas.standard(tx)).isEqualTo(gas);
  }

  @ParameterizedTest
  @CsvSource({"1, 21004", "2, 21008", "100, 21400"})
  void eachZeroDataByteCosts4(int bytes, long gas) {
    DecodedTransaction tx = decoded(transfer().data(new byte[bytes]));

    assertThat(tx.zeroDataBytes()).isEqualTo(bytes);
    assertThat(IntrinsicGas.standard(tx)).isEqualTo(gas);
  }

  @Test
  void zeroAndNonZeroBytesAreCountedWhereverTheyLie() {
    byte[] data = {0, 1, 0, 0, (byte) 0xff, 0, 0x7f};

    DecodedTransaction tx = decoded(transfer().data(data));

    assertThat(tx.zeroDataBytes()).isEqualTo(4);
    assertThat(tx.nonZeroDataBytes()).isEqualTo(3);
    assertThat(IntrinsicGas.standard(tx)).isEqualTo(21_000 + 4 * 4 + 3 * 16);
  }

  @ParameterizedTest
  @EnumSource(
      value = TxType.class,
      names = {"ACCESS_LIST", "DYNAMIC_FEE"})
  void eachAccessListAddressCosts2400AndEachStorageKey1900(TxType type) {
    DecodedTransaction oneAddress = decoded(transfer().type(type).accessList(accessList(0)));
    DecodedTransaction oneKey = decoded(transfer().type(type).accessList(accessList(1)));
    DecodedTransaction threeAddressesSixKeys =
        decoded(transfer().type(type).accessList(accessList(0, 2, 4)));

    assertThat(IntrinsicGas.standard(oneAddress)).isEqualTo(21_000 + 2_400);
    assertThat(IntrinsicGas.standard(oneKey)).isEqualTo(21_000 + 2_400 + 1_900);
    assertThat(threeAddressesSixKeys.accessListAddresses()).isEqualTo(3);
    assertThat(threeAddressesSixKeys.accessListStorageKeys()).isEqualTo(6);
    assertThat(IntrinsicGas.standard(threeAddressesSixKeys))
        .isEqualTo(21_000 + 3 * 2_400 + 6 * 1_900);
  }

  @Test
  void aCreationWithoutInitCodeAdds32000() {
    DecodedTransaction tx = decoded(creation(new byte[0]));

    assertThat(IntrinsicGas.standard(tx)).isEqualTo(53_000);
  }

  /** EIP-3860: 2 per started 32-byte word of init code, on top of the bytes' own cost. */
  @ParameterizedTest
  @CsvSource({"1, 1", "31, 1", "32, 1", "33, 2", "64, 2", "65, 3", "49152, 1536"})
  void aCreationPaysTwoPerStartedInitCodeWord(int bytes, int words) {
    DecodedTransaction tx = decoded(creation(new byte[bytes]));

    assertThat(IntrinsicGas.standard(tx)).isEqualTo(53_000 + 4L * bytes + 2L * words);
  }

  @Test
  void initCodeWordsAreNotChargedToACall() {
    DecodedTransaction call = decoded(transfer().data(new byte[33]));

    assertThat(IntrinsicGas.standard(call)).isEqualTo(21_000 + 33 * 4);
  }

  /** EIP-7623: 21,000 + 10 per token, a zero byte one token and any other byte four. */
  @Test
  void pragueRaisesACallDataHeavyTransactionToTheFloor() {
    DecodedTransaction tx = decoded(transfer().data(concat(filled(100, 0x01), new byte[50])));

    assertThat(IntrinsicGas.standard(tx)).isEqualTo(21_000 + 100 * 16 + 50 * 4);
    assertThat(IntrinsicGas.calldataFloor(tx)).isEqualTo(21_000 + 10 * (100 * 4 + 50));
    assertThat(IntrinsicGas.required(tx, true)).isEqualTo(25_500);
    assertThat(IntrinsicGas.required(tx, false)).isEqualTo(22_800);
  }

  @Test
  void theFloorCountsNeitherTheAccessListNorTheCreation() {
    DecodedTransaction listed =
        decoded(transfer().data(filled(10, 0x01)).accessList(accessList(3)));
    DecodedTransaction created = decoded(creation(filled(4_000, 0x01)));

    assertThat(IntrinsicGas.calldataFloor(listed)).isEqualTo(21_000 + 10 * 40);
    assertThat(IntrinsicGas.required(listed, true)).isEqualTo(21_000 + 10 * 16 + 2_400 + 3 * 1_900);
    assertThat(IntrinsicGas.calldataFloor(created)).isEqualTo(21_000 + 10 * 16_000);
    assertThat(IntrinsicGas.required(created, true)).isEqualTo(181_000);
    assertThat(IntrinsicGas.required(created, false)).isEqualTo(53_000 + 4_000 * 16 + 125 * 2);
  }

  private static TransactionBuilder transfer() {
    return TransactionBuilder.on(CHAIN).to(TO).gasLimit(1_000_000);
  }

  private static TransactionBuilder creation(byte[] initCode) {
    return TransactionBuilder.on(CHAIN).to(null).data(initCode).gasLimit(1_000_000);
  }

  static DecodedTransaction decoded(TransactionBuilder builder) {
    return TransactionDecoder.decode(builder.sign(EngineFixture.sender(7))).value();
  }

  /** One entry per element, each with that many storage keys. */
  static List<AccessListEntry> accessList(int... keysPerAddress) {
    List<AccessListEntry> entries = new ArrayList<>();
    for (int i = 0; i < keysPerAddress.length; i++) {
      List<Hash32> keys = new ArrayList<>();
      for (int k = 0; k < keysPerAddress[i]; k++) {
        keys.add(Hash32.wrap(filled(Hash32.SIZE, 16 * i + k + 1)));
      }
      entries.add(new AccessListEntry(Address.wrap(filled(Address.SIZE, 0xa0 + i)), keys));
    }
    return entries;
  }

  static byte[] filled(int size, int value) {
    byte[] b = new byte[size];
    Arrays.fill(b, (byte) value);
    return b;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
