package io.preconf.core.tx;

import io.preconf.core.crypto.Keccak;
import io.preconf.core.crypto.Secp256k1;
import io.preconf.core.crypto.Secp256k1Backend;
import io.preconf.core.error.Reason;
import io.preconf.core.error.Rejection;
import io.preconf.core.error.Result;
import io.preconf.core.tx.Rlp.ListReader;
import io.preconf.core.tx.Rlp.MalformedRlpException;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.preconf.core.types.Hex;
import io.preconf.core.types.MalformedValueException;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.crypto.digests.KeccakDigest;

/**
 * Decodes a signed EIP-2718 transaction, exactly as {@code eth_sendRawTransaction} takes it, and
 * recovers its sender (wire contract section 1). Accepts legacy with EIP-155 replay protection,
 * type 1 (EIP-2930) and type 2 (EIP-1559); every other input is a {@link Rejection} with {@code
 * INVALID_TRANSACTION}, never an exception.
 *
 * <p>The signing hash is built from the original bytes of the signed fields under a new list
 * header, not by re-encoding decoded values, so it covers exactly what the sender signed.
 *
 * @see <a href="https://eips.ethereum.org/EIPS/eip-155">EIP-155</a>
 * @see <a href="https://eips.ethereum.org/EIPS/eip-2718">EIP-2718</a>
 * @see <a href="https://eips.ethereum.org/EIPS/eip-2930">EIP-2930</a>
 * @see <a href="https://eips.ethereum.org/EIPS/eip-1559">EIP-1559</a>
 */
public final class TransactionDecoder {
  private static final int LEGACY_FIELDS = 9;
  private static final int ACCESS_LIST_FIELDS = 11;
  private static final int DYNAMIC_FEE_FIELDS = 12;
  private static final int UINT256_BYTES = 32;
  private static final String SUPPORTED = "send legacy (EIP-155), type 1 or type 2";
  private static final byte[] TWO_EMPTY_STRINGS = {(byte) 0x80, (byte) 0x80};

  private TransactionDecoder() {}

  /** Decodes {@code 0x}-prefixed hex; bad hex is {@link Reason#MALFORMED_HEX}. */
  public static Result<DecodedTransaction> decodeHex(String hex) {
    return decodeHex(hex, Secp256k1Backend.bouncyCastle());
  }

  /** As {@link #decodeHex(String)}, recovering the sender with {@code backend}. */
  public static Result<DecodedTransaction> decodeHex(String hex, Secp256k1Backend backend) {
    byte[] raw;
    try {
      raw = Hex.decode("transaction", hex);
    } catch (MalformedValueException e) {
      return reject(Reason.MALFORMED_HEX, e.getMessage());
    }
    return decode(Bytes.wrap(raw), backend);
  }

  /** Decodes with Bouncy Castle recovering the sender. */
  public static Result<DecodedTransaction> decode(Bytes raw) {
    return decode(raw, Secp256k1Backend.bouncyCastle());
  }

  /** Decodes, recovering the sender with {@code backend} (every backend gives the same sender). */
  public static Result<DecodedTransaction> decode(Bytes raw, Secp256k1Backend backend) {
    byte[] b = raw.unsafeArray();
    if (b.length == 0) {
      return reject(Reason.MALFORMED_RLP, "transaction is empty");
    }
    int first = b[0] & 0xff;
    try {
      if (first >= 0xc0) {
        return Result.ok(decodeLegacy(raw, b, backend));
      }
      if (first == 0x01) {
        return Result.ok(decodeTyped(raw, b, TxType.ACCESS_LIST, ACCESS_LIST_FIELDS, backend));
      }
      if (first == 0x02) {
        return Result.ok(decodeTyped(raw, b, TxType.DYNAMIC_FEE, DYNAMIC_FEE_FIELDS, backend));
      }
    } catch (MalformedRlpException e) {
      return reject(Reason.MALFORMED_RLP, e.getMessage());
    } catch (Refused e) {
      return Result.err(e.rejection);
    }
    if (first >= 0x80) {
      return reject(
          Reason.MALFORMED_RLP,
          "transaction starts with 0x"
              + hexByte(first)
              + ", which is neither a type byte (0x00-0x7f) nor an RLP list");
    }
    return reject(
        Reason.UNSUPPORTED_TX_TYPE,
        "transaction type 0x"
            + hexByte(first)
            + typeName(first)
            + " is not supported; "
            + SUPPORTED);
  }

  private static DecodedTransaction decodeLegacy(Bytes raw, byte[] b, Secp256k1Backend backend)
      throws MalformedRlpException, Refused {
    ListReader f = Rlp.topLevelList(b, 0, "legacy transaction");
    requireFieldCount(f, "legacy transaction", LEGACY_FIELDS);

    int signedStart = f.position();
    long nonce = readNonce(f, b);
    BigInteger gasPrice = readUint256(f, "gasPrice");
    long gasLimit = readGasLimit(f, b);
    Address to = readTo(f, b);
    BigInteger value = readUint256(f, "value");
    f.nextString("data");
    int dataSize = f.payloadLength();
    int zeroDataBytes = countZeros(b, f.payloadStart(), f.payloadEnd());
    int signedEnd = f.position();

    f.nextUint("v", UINT256_BYTES);
    if (!f.fitsLong()) {
      throw refused(
          Reason.OUT_OF_RANGE,
          "legacy v=" + uintHex(f, b) + " implies a chainId above " + ChainId.MAX);
    }
    long v = f.longValue();
    if (v == 27 || v == 28) {
      throw refused(
          Reason.MISSING_CHAIN_ID,
          "legacy transaction without EIP-155 chain id (v="
              + v
              + ") is refused: replayable across chains");
    }
    if (v < 35) {
      throw refused(
          Reason.BAD_SIGNATURE,
          "legacy v=" + v + " is neither 27/28 nor chainId*2+35/36 (EIP-155)");
    }
    long chainId = (v - 35) >>> 1;
    int recoveryId = (int) ((v - 35) & 1);
    if (chainId < 1 || chainId > ChainId.MAX) {
      throw refused(
          Reason.OUT_OF_RANGE,
          "legacy v=" + v + " implies chainId " + chainId + ", outside 1.." + ChainId.MAX);
    }
    BigInteger r = readSignatureValue(f, "r");
    BigInteger s = readSignatureValue(f, "s");
    requireCanonical(r, s);

    // EIP-155: keccak256(rlp([nonce, gasPrice, gasLimit, to, value, data, chainId, 0, 0])).
    byte[] chainIdRlp = Rlp.encodeUint(chainId);
    int payloadLength = signedEnd - signedStart + chainIdRlp.length + TWO_EMPTY_STRINGS.length;
    KeccakDigest digest = new KeccakDigest(256);
    updateListHeader(digest, payloadLength);
    digest.update(b, signedStart, signedEnd - signedStart);
    digest.update(chainIdRlp, 0, chainIdRlp.length);
    digest.update(TWO_EMPTY_STRINGS, 0, TWO_EMPTY_STRINGS.length);
    Address sender = recover(backend, digest, r, s, recoveryId);

    return new DecodedTransaction(
        raw,
        Keccak.hash(b),
        TxType.LEGACY,
        ChainId.of(chainId),
        sender,
        nonce,
        gasLimit,
        gasPrice,
        gasPrice,
        to,
        value,
        dataSize,
        zeroDataBytes,
        0,
        0);
  }

  private static DecodedTransaction decodeTyped(
      Bytes raw, byte[] b, TxType type, int fieldCount, Secp256k1Backend backend)
      throws MalformedRlpException, Refused {
    String what = "type-" + type.typeByte() + " transaction";
    ListReader f = Rlp.topLevelList(b, 1, what);
    requireFieldCount(f, what, fieldCount);

    int signedStart = f.position();
    long chainId = readChainId(f, b);
    long nonce = readNonce(f, b);
    BigInteger maxPriorityFeePerGas;
    BigInteger maxFeePerGas;
    if (type == TxType.DYNAMIC_FEE) {
      maxPriorityFeePerGas = readUint256(f, "maxPriorityFeePerGas");
      maxFeePerGas = readUint256(f, "maxFeePerGas");
    } else {
      maxPriorityFeePerGas = readUint256(f, "gasPrice");
      maxFeePerGas = maxPriorityFeePerGas;
    }
    long gasLimit = readGasLimit(f, b);
    Address to = readTo(f, b);
    BigInteger value = readUint256(f, "value");
    f.nextString("data");
    int dataSize = f.payloadLength();
    int zeroDataBytes = countZeros(b, f.payloadStart(), f.payloadEnd());
    AccessListSize accessList = checkAccessList(f.nextList("accessList"));
    int signedEnd = f.position();

    f.nextUint("yParity", UINT256_BYTES);
    if (f.payloadLength() > 1 || f.longValue() > 1) {
      throw refused(
          Reason.BAD_SIGNATURE, "yParity " + uintText(f, b) + " must be 0 or 1 in " + what);
    }
    int recoveryId = (int) f.longValue();
    BigInteger r = readSignatureValue(f, "r");
    BigInteger s = readSignatureValue(f, "s");
    requireCanonical(r, s);

    // EIP-2718: keccak256(type ++ rlp([fields before the signature])).
    KeccakDigest digest = new KeccakDigest(256);
    digest.update((byte) type.typeByte());
    updateListHeader(digest, signedEnd - signedStart);
    digest.update(b, signedStart, signedEnd - signedStart);
    Address sender = recover(backend, digest, r, s, recoveryId);

    return new DecodedTransaction(
        raw,
        Keccak.hash(b),
        type,
        ChainId.of(chainId),
        sender,
        nonce,
        gasLimit,
        maxFeePerGas,
        maxPriorityFeePerGas,
        to,
        value,
        dataSize,
        zeroDataBytes,
        accessList.addresses(),
        accessList.storageKeys());
  }

  private static void requireFieldCount(ListReader f, String what, int expected)
      throws MalformedRlpException {
    int count = f.countRemaining(what + " field");
    if (count != expected) {
      throw new MalformedRlpException(what + " has " + count + " fields, expected " + expected);
    }
  }

  private static long readChainId(ListReader f, byte[] b) throws MalformedRlpException, Refused {
    f.nextUint("chainId", UINT256_BYTES);
    long chainId = f.fitsLong() ? f.longValue() : -1;
    if (chainId < 1 || chainId > ChainId.MAX) {
      throw refused(
          Reason.OUT_OF_RANGE, "chainId " + uintText(f, b) + " is outside 1.." + ChainId.MAX);
    }
    return chainId;
  }

  private static long readNonce(ListReader f, byte[] b) throws MalformedRlpException, Refused {
    f.nextUint("nonce", UINT256_BYTES);
    // JSON numbers are exact to 2^53 - 1, and the contract carries the nonce as a number.
    if (!f.fitsLong() || f.longValue() > ChainId.MAX) {
      throw refused(Reason.OUT_OF_RANGE, "nonce " + uintText(f, b) + " is above " + ChainId.MAX);
    }
    return f.longValue();
  }

  private static long readGasLimit(ListReader f, byte[] b) throws MalformedRlpException, Refused {
    f.nextUint("gasLimit", UINT256_BYTES);
    if (!f.fitsLong()) {
      throw refused(
          Reason.GAS_LIMIT_EXCEEDED, "gasLimit " + uintText(f, b) + " is above " + Long.MAX_VALUE);
    }
    return f.longValue();
  }

  private static BigInteger readUint256(ListReader f, String field) throws MalformedRlpException {
    f.nextUint(field, UINT256_BYTES);
    return f.bigValue();
  }

  private static Address readTo(ListReader f, byte[] b) throws MalformedRlpException {
    f.nextString("to");
    int length = f.payloadLength();
    if (length == 0) {
      return null;
    }
    if (length != Address.SIZE) {
      throw new MalformedRlpException(
          "to must be empty or " + Address.SIZE + " bytes, got " + length + " bytes");
    }
    return Address.wrap(Arrays.copyOfRange(b, f.payloadStart(), f.payloadEnd()));
  }

  /** Zero bytes cost less intrinsic gas than others (EIP-2028), so they are counted here. */
  private static int countZeros(byte[] b, int from, int to) {
    int zeros = 0;
    for (int i = from; i < to; i++) {
      if (b[i] == 0) {
        zeros++;
      }
    }
    return zeros;
  }

  /**
   * EIP-2930: a list of [address, [storageKey, ...]] with 20-byte addresses, 32-byte keys. Returns
   * how many of each it names, as each costs intrinsic gas.
   */
  private static AccessListSize checkAccessList(ListReader list) throws MalformedRlpException {
    if (!list.hasNext()) {
      return AccessListSize.EMPTY;
    }
    int index = 0;
    int storageKeys = 0;
    while (list.hasNext()) {
      String entry = "accessList[" + index + "]";
      ListReader tuple = list.nextList(entry);
      tuple.nextString(entry + ".address");
      if (tuple.payloadLength() != Address.SIZE) {
        throw new MalformedRlpException(
            entry
                + ".address must be "
                + Address.SIZE
                + " bytes, got "
                + tuple.payloadLength()
                + " bytes");
      }
      ListReader keys = tuple.nextList(entry + ".storageKeys");
      int k = 0;
      while (keys.hasNext()) {
        keys.nextString(entry + ".storageKeys[" + k + "]");
        if (keys.payloadLength() != Hash32.SIZE) {
          throw new MalformedRlpException(
              entry
                  + ".storageKeys["
                  + k
                  + "] must be "
                  + Hash32.SIZE
                  + " bytes, got "
                  + keys.payloadLength()
                  + " bytes");
        }
        k++;
      }
      if (tuple.hasNext()) {
        throw new MalformedRlpException(
            entry + " has more than 2 items; expected [address, storageKeys]");
      }
      storageKeys += k;
      index++;
    }
    return new AccessListSize(index, storageKeys);
  }

  private record AccessListSize(int addresses, int storageKeys) {
    static final AccessListSize EMPTY = new AccessListSize(0, 0);
  }

  private static BigInteger readSignatureValue(ListReader f, String field)
      throws MalformedRlpException {
    f.nextUint("signature " + field, UINT256_BYTES);
    return f.bigValue();
  }

  private static void requireCanonical(BigInteger r, BigInteger s) throws Refused {
    if (Secp256k1.isCanonical(r, s)) {
      return;
    }
    if (r.signum() <= 0 || r.compareTo(Secp256k1.N) >= 0) {
      throw refused(
          Reason.BAD_SIGNATURE,
          "signature r " + Hex.abbreviate("0x" + r.toString(16)) + " is not in 1..n-1");
    }
    throw refused(
        Reason.BAD_SIGNATURE,
        "signature s "
            + Hex.abbreviate("0x" + s.toString(16))
            + (s.signum() == 0 ? " is zero" : " is above n/2 (high-s, refused since EIP-2)"));
  }

  private static Address recover(
      Secp256k1Backend backend, KeccakDigest digest, BigInteger r, BigInteger s, int recoveryId)
      throws Refused {
    byte[] signingHash = new byte[32];
    digest.doFinal(signingHash, 0);
    Optional<Address> sender = backend.recoverAddress(Hash32.wrap(signingHash), r, s, recoveryId);
    if (sender.isEmpty()) {
      throw refused(
          Reason.BAD_SIGNATURE,
          "signature r "
              + Hex.abbreviate("0x" + r.toString(16))
              + " with recovery id "
              + recoveryId
              + " does not recover a public key");
    }
    return sender.get();
  }

  private static void updateListHeader(KeccakDigest digest, int payloadLength) {
    byte[] header = new byte[9];
    int n = Rlp.writeListHeader(payloadLength, header, 0);
    digest.update(header, 0, n);
  }

  /** The last integer read, in decimal when it fits a long, else abbreviated hex. */
  private static String uintText(ListReader f, byte[] b) {
    return f.fitsLong() ? Long.toString(f.longValue()) : uintHex(f, b);
  }

  private static String uintHex(ListReader f, byte[] b) {
    return Hex.abbreviate(Hex.encode(b, f.payloadStart(), f.payloadLength()));
  }

  private static String typeName(int type) {
    return switch (type) {
      case 0x03 -> " (EIP-4844 blob)";
      case 0x04 -> " (EIP-7702 set-code)";
      default -> "";
    };
  }

  private static String hexByte(int b) {
    return Integer.toHexString(b | 0x100).substring(1);
  }

  private static Result<DecodedTransaction> reject(Reason reason, String message) {
    return Result.err(Rejection.invalidTransaction(reason, message));
  }

  private static Refused refused(Reason reason, String message) {
    return new Refused(Rejection.invalidTransaction(reason, message));
  }

  /** A guard clause failing deep in a field reader; caught in {@link #decode} and never escapes. */
  private static final class Refused extends Exception {
    private final transient Rejection rejection;

    Refused(Rejection rejection) {
      super(rejection.message(), null, false, false);
      this.rejection = rejection;
    }
  }
}
