package io.preconf.core.tx;

import static io.preconf.core.tx.ReferenceTransactions.list;
import static io.preconf.core.tx.ReferenceTransactions.str;
import static io.preconf.core.tx.ReferenceTransactions.uint;
import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.Result;
import io.preconf.core.testing.Tries;
import io.preconf.core.tx.ReferenceTransactions.Item;
import io.preconf.core.tx.ReferenceTransactions.Lst;
import io.preconf.core.tx.ReferenceTransactions.Str;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.Hex;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;

/**
 * The decoder never throws, whatever the bytes, and whatever it accepts agrees with a second, naive
 * implementation ({@link ReferenceTransactions}) on every field and on the sender.
 *
 * <p>Each property runs a fixed number of tries on inputs drawn from its own fixed seed (see {@link
 * Tries}), so every run checks the same inputs and a failure names the try and the input.
 */
class TransactionDecoderPropertiesTest {
  private static final BigInteger MAX_SAFE = BigInteger.valueOf((1L << 53) - 1);
  private static final List<byte[]> VECTOR_RAWS =
      TransactionVectors.vectors().stream()
          .map(v -> Hex.decode("vector", v.raw()))
          .filter(raw -> raw.length < 2048) // keep mutations near the fields, not deep in init code
          .toList();

  // ---- (a) arbitrary input ----

  @Test
  void arbitraryBytesNeverThrowAndAreOkOrAnInvalidTransaction() {
    Tries.forAll(
        0x7d0a_0001L,
        1000,
        r -> arbitraryBytes(r, 400),
        Hex::encode,
        TransactionDecoderPropertiesTest::assertOutcomeIsAValue);
  }

  @Test
  void arbitraryBytesBehindTheType1Or2PrefixNeverThrow() {
    Tries.forAll(
        0x7d0a_0002L,
        1000,
        r -> concat(new byte[] {typedPrefix(r)}, arbitraryBytes(r, 400)),
        Hex::encode,
        TransactionDecoderPropertiesTest::assertOutcomeIsAValue);
  }

  @Test
  void randomlyFilledRlpListsOfTransactionShapeNeverThrowAndAgreeWithTheReferenceWhenAccepted() {
    Tries.forAll(
        0x7d0a_0003L,
        1000,
        TransactionDecoderPropertiesTest::transactionShapedRlp,
        Hex::encode,
        raw -> {
          Result<DecodedTransaction> result = assertOutcomeIsAValue(raw);
          if (result.isOk()) {
            assertAgreesWithReference(raw, result.value());
          }
        });
  }

  // ---- (b) valid vectors, mutated ----

  @Test
  void mutatedVectorsNeverThrowAndAnyAcceptedOneAgreesWithItsBytes() {
    int tries = 2000;
    Map<String, Integer> outcomes = new TreeMap<>();
    Tries.forAll(
        0x7d0a_0004L,
        tries,
        TransactionDecoderPropertiesTest::mutatedVector,
        Hex::encode,
        raw -> {
          Result<DecodedTransaction> result = assertOutcomeIsAValue(raw);
          outcomes.merge(
              result.isOk() ? "accepted" : result.rejection().reason().name(), 1, Integer::sum);
          if (result.isOk()) {
            assertAgreesWithReference(raw, result.value());
          }
        });
    // The mutations must still reach both sides of the decoder: some are accepted (and so checked
    // against the reference), many are refused as malformed RLP.
    assertThat(100.0 * outcomes.getOrDefault("accepted", 0) / tries)
        .as("percentage of mutated vectors accepted; outcomes %s", outcomes)
        .isGreaterThan(5);
    assertThat(100.0 * outcomes.getOrDefault(Reason.MALFORMED_RLP.name(), 0) / tries)
        .as("percentage of mutated vectors refused as MALFORMED_RLP; outcomes %s", outcomes)
        .isGreaterThan(5);
  }

  @Test
  void anyNonCanonicalReEncodingOfAValidVectorIsMalformed() {
    Map<NonCanonical, Integer> refused = new EnumMap<>(NonCanonical.class);
    Tries.forAll(
        0x7d0a_0005L,
        500,
        TransactionDecoderPropertiesTest::nonCanonicalReEncoding,
        ReEncoding::describe,
        c -> {
          Result<DecodedTransaction> result = assertOutcomeIsAValue(c.mutated());
          if (!c.stillCanonical()) {
            refused.merge(c.form(), 1, Integer::sum);
            assertThat(result.isOk()).as("accepted %s of field %d", c.form(), c.field()).isFalse();
            assertThat(result.rejection().reason())
                .as(result.rejection().message())
                .isEqualTo(Reason.MALFORMED_RLP);
          }
        });
    assertThat(refused)
        .as("every non-canonical form was tried on a field where it must be refused")
        .containsOnlyKeys(NonCanonical.values());
  }

  enum NonCanonical {
    LONG_FORM_HEADER,
    LENGTH_WITH_LEADING_ZERO,
    LEADING_ZERO_OR_WRAPPED_BYTE
  }

  /**
   * A valid vector with one field re-encoded in a non-canonical {@code form}; {@code
   * stillCanonical} when the re-encoding is in fact canonical, as a zero byte in front of the data
   * field is.
   */
  record ReEncoding(
      int vector, int field, NonCanonical form, boolean stillCanonical, byte[] mutated) {
    String describe() {
      return form
          + " of field "
          + field
          + " of vector "
          + vector
          + (stillCanonical ? " (still canonical)" : "")
          + ": "
          + Hex.encode(mutated);
    }
  }

  private static ReEncoding nonCanonicalReEncoding(SplittableRandom r) {
    int vector = r.nextInt(VECTOR_RAWS.size());
    int fieldChoice = r.nextInt(12);
    NonCanonical form = NonCanonical.values()[r.nextInt(NonCanonical.values().length)];

    byte[] raw = VECTOR_RAWS.get(vector);
    int offset = (raw[0] & 0xff) >= 0xc0 ? 0 : 1;
    List<Item> fields = ((Lst) ReferenceTransactions.parse(raw, offset)).items();
    int field = fieldChoice % fields.size();
    Item item = fields.get(field);
    byte[] payload = ReferenceTransactions.payload(item);
    boolean isList = item instanceof Lst;

    byte[] reEncoded =
        switch (form) {
          case LONG_FORM_HEADER ->
              ReferenceTransactions.longFormHeader(isList, payload, payload.length < 56 ? 0 : 1);
          case LENGTH_WITH_LEADING_ZERO -> ReferenceTransactions.longFormHeader(isList, payload, 1);
          case LEADING_ZERO_OR_WRAPPED_BYTE ->
              isList
                  ? ReferenceTransactions.longFormHeader(true, payload, 1)
                  : payload.length == 1 && (payload[0] & 0xff) < 0x80
                      ? new byte[] {(byte) 0x81, payload[0]}
                      : ReferenceTransactions.encode(str(concat(new byte[] {0}, payload)));
        };
    List<byte[]> encoded = new ArrayList<>();
    for (Item f : fields) {
      encoded.add(ReferenceTransactions.encode(f));
    }
    encoded.set(field, reEncoded);
    byte[] body = ReferenceTransactions.encodeList(encoded);
    byte[] mutated = offset == 0 ? body : concat(new byte[] {raw[0]}, body);

    // A zero byte in front of a byte string that is not an integer (data) is canonical.
    boolean stillCanonical =
        form == NonCanonical.LEADING_ZERO_OR_WRAPPED_BYTE
            && !isList
            && !(payload.length == 1 && (payload[0] & 0xff) < 0x80)
            && field == dataIndex(raw[0]);
    return new ReEncoding(vector, field, form, stillCanonical, mutated);
  }

  private static int dataIndex(byte first) {
    return (first & 0xff) >= 0xc0 ? 5 : first == 1 ? 6 : 7;
  }

  // ---- freshly signed transactions ----

  @Test
  void anyFreshlySignedTransactionDecodesToItsFieldsAndItsSigner() {
    Tries.forAll(
        0x7d0a_0006L,
        300,
        TransactionDecoderPropertiesTest::freshTransaction,
        Fresh::describe,
        fresh -> {
          Result<DecodedTransaction> result = TransactionDecoder.decode(Bytes.wrap(fresh.raw()));
          assertThat(result.isOk())
              .as(() -> result.isOk() ? "" : result.rejection().toString())
              .isTrue();
          DecodedTransaction tx = result.value();
          assertThat(tx.type().typeByte()).isEqualTo(fresh.type() == 0 ? -1 : fresh.type());
          assertThat(tx.sender().toArray()).isEqualTo(fresh.signer());
          assertThat(tx.chainId().value()).isEqualTo(fresh.chainId());
          assertThat(tx.nonce()).isEqualTo(fresh.nonce());
          assertThat(tx.gasLimit()).isEqualTo(fresh.gasLimit());
          assertThat(tx.maxFeePerGas()).isEqualTo(fresh.maxFee());
          assertThat(tx.maxPriorityFeePerGas()).isEqualTo(fresh.maxPriorityFee());
          assertThat(tx.to() == null ? null : tx.to().toArray()).isEqualTo(fresh.to());
          assertThat(tx.value()).isEqualTo(fresh.value());
          assertThat(tx.dataSize()).isEqualTo(fresh.dataSize());
          assertThat(tx.txHash().toArray()).isEqualTo(ReferenceTransactions.keccak(fresh.raw()));
        });
  }

  // ---- checks ----

  private static Result<DecodedTransaction> assertOutcomeIsAValue(byte[] raw) {
    byte[] copy = raw.clone();
    Result<DecodedTransaction> result = TransactionDecoder.decode(Bytes.wrap(raw));
    assertThat(raw).as("the decoder must not write to its input").isEqualTo(copy);
    if (!result.isOk()) {
      assertThat(result.rejection().code()).isEqualTo(ErrorCode.INVALID_TRANSACTION);
      assertThat(result.rejection().message()).isNotBlank();
    }
    assertThat(TransactionDecoder.decode(Bytes.wrap(raw)))
        .as("decoding is deterministic")
        .isEqualTo(result);
    return result;
  }

  /** Re-derives every field and the sender from {@code raw} the naive way. */
  private static void assertAgreesWithReference(byte[] raw, DecodedTransaction tx) {
    assertThat(tx.txHash().toArray()).isEqualTo(ReferenceTransactions.keccak(raw));
    assertThat(tx.raw().unsafeArray()).isSameAs(raw);

    int type = (raw[0] & 0xff) >= 0xc0 ? 0 : raw[0];
    int offset = type == 0 ? 0 : 1;
    Item root = ReferenceTransactions.parse(raw, offset);
    assertThat(root).as("the reference parser reads accepted input").isInstanceOf(Lst.class);
    assertThat(ReferenceTransactions.encode(root))
        .as("accepted input is canonical: it re-encodes to the same bytes")
        .isEqualTo(Arrays.copyOfRange(raw, offset, raw.length));

    List<Item> f = ((Lst) root).items();
    BigInteger chainId;
    int parity;
    int i = 0;
    if (type == 0) {
      assertThat(f).hasSize(9);
      BigInteger v = num(f.get(6));
      chainId = v.subtract(BigInteger.valueOf(35)).shiftRight(1);
      parity = v.subtract(BigInteger.valueOf(35)).testBit(0) ? 1 : 0;
    } else {
      assertThat(f).hasSize(type == 1 ? 11 : 12);
      chainId = num(f.get(i++));
      parity = num(f.get(type == 1 ? 8 : 9)).intValueExact();
    }
    assertThat(tx.type().typeByte()).isEqualTo(type == 0 ? -1 : type);
    assertThat(tx.chainId().value()).isEqualTo(chainId.longValueExact());
    assertThat(BigInteger.valueOf(tx.nonce())).isEqualTo(num(f.get(i++)));
    BigInteger tip = num(f.get(i++));
    BigInteger maxFee = type == 2 ? num(f.get(i++)) : tip;
    assertThat(tx.maxPriorityFeePerGas()).isEqualTo(tip);
    assertThat(tx.maxFeePerGas()).isEqualTo(maxFee);
    assertThat(BigInteger.valueOf(tx.gasLimit())).isEqualTo(num(f.get(i++)));
    byte[] to = ((Str) f.get(i++)).bytes();
    assertThat(tx.to() == null ? new byte[0] : tx.to().toArray()).isEqualTo(to);
    assertThat(tx.value()).isEqualTo(num(f.get(i++)));
    byte[] data = ((Str) f.get(i)).bytes();
    assertThat(tx.dataSize()).isEqualTo(data.length);
    int zeros = 0;
    for (byte b : data) {
      zeros += b == 0 ? 1 : 0;
    }
    assertThat(tx.zeroDataBytes()).as("zero data bytes").isEqualTo(zeros);
    int addresses = 0;
    int storageKeys = 0;
    if (type != 0) {
      for (Item entry : ((Lst) f.get(i + 1)).items()) {
        addresses++;
        storageKeys += ((Lst) ((Lst) entry).items().get(1)).items().size();
      }
    }
    assertThat(tx.accessListAddresses()).as("access list addresses").isEqualTo(addresses);
    assertThat(tx.accessListStorageKeys()).as("access list storage keys").isEqualTo(storageKeys);

    BigInteger r = num(f.get(f.size() - 2));
    BigInteger s = num(f.get(f.size() - 1));
    byte[] signingHash = ReferenceTransactions.signingHash(type, f, chainId.longValueExact());
    ECPoint q = ReferenceTransactions.recoverPoint(signingHash, r, s, parity);
    assertThat(q).as("the reference recovers a key that verifies the signature").isNotNull();
    assertThat(tx.sender().toArray()).isEqualTo(ReferenceTransactions.address(q));
  }

  private static BigInteger num(Item item) {
    return ((Str) item).uint();
  }

  // ---- generators ----

  /** Byte values at the RLP header boundaries, mixed into arbitrary input so they come up often. */
  private static final byte[] EDGE_BYTES = {
    0x00,
    0x01,
    0x7f,
    (byte) 0x80,
    (byte) 0x81,
    (byte) 0xb7,
    (byte) 0xb8,
    (byte) 0xbf,
    (byte) 0xc0,
    (byte) 0xf7,
    (byte) 0xf8,
    (byte) 0xff
  };

  /**
   * Up to {@code maxSize} bytes: empty, full-size and short arrays come up often, and in some
   * arrays a share of the bytes are RLP header boundaries.
   */
  private static byte[] arbitraryBytes(SplittableRandom r, int maxSize) {
    int pick = r.nextInt(10);
    int size =
        pick == 0
            ? 0
            : pick == 1
                ? maxSize
                : pick < 5 ? r.nextInt(Math.min(8, maxSize) + 1) : r.nextInt(maxSize + 1);
    byte[] out = bytes(r, size);
    if (r.nextInt(4) == 0) {
      for (int i = 0; i < size; i++) {
        if (r.nextInt(4) == 0) {
          out[i] = EDGE_BYTES[r.nextInt(EDGE_BYTES.length)];
        }
      }
    }
    return out;
  }

  private static byte[] bytes(SplittableRandom r, int size) {
    byte[] out = new byte[size];
    r.nextBytes(out);
    return out;
  }

  private static byte typedPrefix(SplittableRandom r) {
    return (byte) (1 + r.nextInt(2));
  }

  private static final int[] STRING_SIZES = {0, 1, 2, 8, 20, 32, 33};

  /** Lists with a transaction's field count, each field a random string or, sometimes, a list. */
  private static byte[] transactionShapedRlp(SplittableRandom r) {
    int type = r.nextInt(3);
    int count = type == 0 ? 9 : type == 1 ? 11 : 12;
    List<Item> fields = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int weight = r.nextInt(8); // 6 : 1 : 1
      fields.add(weight < 6 ? randomString(r) : weight == 6 ? accessList(r) : list());
    }
    byte[] body = ReferenceTransactions.encode(new Lst(fields));
    return type == 0 ? body : concat(new byte[] {(byte) type}, body);
  }

  /** A string of a size that matters to a transaction field, or of any size up to 70. */
  private static Item randomString(SplittableRandom r) {
    int n = r.nextBoolean() ? STRING_SIZES[r.nextInt(STRING_SIZES.length)] : r.nextInt(71);
    return str(bytes(r, n));
  }

  /** Up to three entries, each an address and up to three storage keys. */
  private static Item accessList(SplittableRandom r) {
    List<Item> entries = new ArrayList<>();
    for (int e = r.nextInt(4); e > 0; e--) {
      List<Item> keys = new ArrayList<>();
      for (int k = r.nextInt(4); k > 0; k--) {
        keys.add(str(bytes(r, 32)));
      }
      entries.add(list(str(bytes(r, 20)), new Lst(keys)));
    }
    return new Lst(entries);
  }

  /** A vector with one of six mutations, each as likely. */
  private static byte[] mutatedVector(SplittableRandom r) {
    byte[] raw = VECTOR_RAWS.get(r.nextInt(VECTOR_RAWS.size()));
    return switch (r.nextInt(6)) {
      case 0 -> {
        int i = position(r, raw.length);
        yield with(raw, i, (byte) (raw[i] ^ (1 << r.nextInt(8))));
      }
      case 1 -> with(raw, position(r, raw.length), (byte) r.nextInt(256));
      case 2 -> Arrays.copyOf(raw, r.nextInt(raw.length));
      case 3 -> concat(raw, bytes(r, r.nextInt(1, 9)));
      case 4 -> inserted(raw, position(r, raw.length), (byte) r.nextInt(256));
      default -> deleted(raw, position(r, raw.length));
    };
  }

  /** Mostly the headers and small fields at the front, or the signature at the back. */
  private static int position(SplittableRandom r, int length) {
    int weight = r.nextInt(6); // 3 : 2 : 1
    return weight < 3
        ? r.nextInt(Math.min(length, 120))
        : weight < 5 ? r.nextInt(Math.max(0, length - 70), length) : r.nextInt(length);
  }

  record Fresh(
      byte[] raw,
      int type,
      byte[] signer,
      long chainId,
      long nonce,
      long gasLimit,
      BigInteger maxFee,
      BigInteger maxPriorityFee,
      byte[] to,
      BigInteger value,
      int dataSize) {
    String describe() {
      return "type "
          + type
          + " signed by "
          + Hex.encode(signer)
          + ", chain "
          + chainId
          + ", nonce "
          + nonce
          + ", gas "
          + gasLimit
          + ": "
          + Hex.encode(raw);
    }
  }

  private static Fresh freshTransaction(SplittableRandom r) {
    int type = r.nextInt(3);
    BigInteger privateKey = privateKey(r);
    long chainId = longBetween(r, 1, MAX_SAFE.longValueExact());
    long nonce = longBetween(r, 0, MAX_SAFE.longValueExact());
    long gasLimit = longBetween(r, 0, Long.MAX_VALUE);
    List<BigInteger> amounts = List.of(uint256(r), uint256(r), uint256(r));
    byte[] to = r.nextInt(5) == 0 ? null : bytes(r, 20);
    byte[] data = r.nextBoolean() ? bytes(r, r.nextInt(81)) : bytes(r, r.nextInt(100, 3001));
    return fresh(type, privateKey, chainId, nonce, gasLimit, amounts, to, data, accessList(r));
  }

  /** A key in [1, n - 1], now and then one of the two bounds. */
  private static BigInteger privateKey(SplittableRandom r) {
    int pick = r.nextInt(20);
    if (pick == 0) {
      return BigInteger.ONE;
    }
    if (pick == 1) {
      return ReferenceTransactions.N.subtract(BigInteger.ONE);
    }
    BigInteger key;
    do {
      key = new BigInteger(1, bytes(r, 32));
    } while (key.signum() == 0 || key.compareTo(ReferenceTransactions.N) >= 0);
    return key;
  }

  /** Zero to 32 random bytes, read as an unsigned integer. */
  private static BigInteger uint256(SplittableRandom r) {
    return new BigInteger(1, bytes(r, r.nextInt(33)));
  }

  /**
   * A value in [min, max] spread over bit lengths rather than over values, so that small values (0,
   * 1, 127, 128, ...) come up as often as large ones, and now and then one of the bounds.
   */
  private static long longBetween(SplittableRandom r, long min, long max) {
    int pick = r.nextInt(16);
    if (pick == 0) {
      return min;
    }
    if (pick == 1) {
      return max;
    }
    long span = max - min;
    int bits = 1 + r.nextInt(Long.SIZE - Long.numberOfLeadingZeros(span));
    long v = r.nextLong() & (-1L >>> (Long.SIZE - bits));
    if (v > span) {
      v = r.nextLong(span + 1);
    }
    return min + v;
  }

  private static Fresh fresh(
      int type,
      BigInteger privateKey,
      long chainId,
      long nonce,
      long gasLimit,
      List<BigInteger> amounts,
      byte[] to,
      byte[] data,
      Item accessList) {
    BigInteger tip = amounts.get(0);
    BigInteger maxFee = type == 2 ? amounts.get(1) : tip;
    BigInteger value = amounts.get(2);
    List<Item> fields = new ArrayList<>();
    if (type != 0) {
      fields.add(uint(chainId));
    }
    fields.add(uint(nonce));
    fields.add(uint(tip));
    if (type == 2) {
      fields.add(uint(maxFee));
    }
    fields.add(uint(gasLimit));
    fields.add(str(to == null ? new byte[0] : to));
    fields.add(uint(value));
    fields.add(str(data));
    if (type != 0) {
      fields.add(accessList);
    }
    byte[] hash = ReferenceTransactions.signingHash(type, fields, chainId);
    BigInteger[] sig = ReferenceTransactions.sign(hash, privateKey);
    fields.add(
        type == 0
            ? uint(BigInteger.valueOf(chainId).shiftLeft(1).add(BigInteger.valueOf(35)).add(sig[2]))
            : uint(sig[2]));
    fields.add(uint(sig[0]));
    fields.add(uint(sig[1]));
    byte[] body = ReferenceTransactions.encode(new Lst(fields));
    byte[] raw = type == 0 ? body : concat(new byte[] {(byte) type}, body);
    byte[] signer = ReferenceTransactions.address(ReferenceTransactions.publicKey(privateKey));
    return new Fresh(
        raw, type, signer, chainId, nonce, gasLimit, maxFee, tip, to, value, data.length);
  }

  // ---- byte helpers ----

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static byte[] with(byte[] raw, int i, byte b) {
    byte[] out = raw.clone();
    out[i] = b;
    return out;
  }

  private static byte[] inserted(byte[] raw, int i, byte b) {
    byte[] out = new byte[raw.length + 1];
    System.arraycopy(raw, 0, out, 0, i);
    out[i] = b;
    System.arraycopy(raw, i, out, i + 1, raw.length - i);
    return out;
  }

  private static byte[] deleted(byte[] raw, int i) {
    byte[] out = new byte[raw.length - 1];
    System.arraycopy(raw, 0, out, 0, i);
    System.arraycopy(raw, i + 1, out, i, raw.length - i - 1);
    return out;
  }
}
