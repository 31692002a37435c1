package io.preconf.core.tx;

import io.preconf.core.tx.Rlp.ListReader;
import io.preconf.core.tx.Rlp.MalformedRlpException;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.Hash32;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The fields of a decoded transaction that {@link DecodedTransaction} only counts: its call data,
 * its access list and its signature, as a node's {@code eth_getTransactionByHash} shows them.
 *
 * @param v the signature's {@code v} as signed: EIP-155's for legacy, the y parity for typed
 */
public record SignedFields(
    Bytes input, List<AccessListEntry> accessList, BigInteger v, BigInteger r, BigInteger s) {

  /** Reads the fields out of {@code tx}'s envelope, which decoding has already checked. */
  public static SignedFields of(DecodedTransaction tx) {
    byte[] b = tx.raw().unsafeArray();
    try {
      boolean legacy = tx.type() == TxType.LEGACY;
      ListReader f = Rlp.topLevelList(b, legacy ? 0 : 1, "transaction");
      // Legacy: nonce, gasPrice, gas, to, value; type 1 has chainId first; type 2 also two fees.
      int before = legacy ? 5 : tx.type() == TxType.DYNAMIC_FEE ? 7 : 6;
      for (int i = 0; i < before; i++) {
        f.next("field " + i);
      }
      f.nextString("data");
      Bytes input = Bytes.wrap(Arrays.copyOfRange(b, f.payloadStart(), f.payloadEnd()));
      List<AccessListEntry> accessList = new ArrayList<>();
      if (!legacy) {
        ListReader list = f.nextList("accessList");
        while (list.hasNext()) {
          ListReader tuple = list.nextList("accessList entry");
          tuple.nextString("address");
          Address address = Address.wrap(slice(b, tuple));
          ListReader keys = tuple.nextList("storageKeys");
          List<Hash32> storageKeys = new ArrayList<>();
          while (keys.hasNext()) {
            keys.nextString("storage key");
            storageKeys.add(Hash32.wrap(slice(b, keys)));
          }
          accessList.add(new AccessListEntry(address, storageKeys));
        }
      }
      BigInteger[] vrs = new BigInteger[3];
      for (int i = 0; i < 3; i++) {
        f.nextUint("signature", 32);
        vrs[i] = f.bigValue();
      }
      return new SignedFields(input, accessList, vrs[0], vrs[1], vrs[2]);
    } catch (MalformedRlpException e) {
      throw new IllegalStateException(
          "a decoded transaction no longer reads: " + e.getMessage(), e);
    }
  }

  private static byte[] slice(byte[] b, ListReader at) {
    return Arrays.copyOfRange(b, at.payloadStart(), at.payloadEnd());
  }
}
