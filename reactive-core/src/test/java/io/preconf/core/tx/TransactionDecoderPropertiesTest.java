package io.preconf.core.tx;

import static io.preconf.core.tx.ReferenceTransactions.list;
import static io.preconf.core.tx.ReferenceTransactions.str;
import static io.preconf.core.tx.ReferenceTransactions.uint;
import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.Result;
import io.preconf.core.tx.ReferenceTransactions.Item;
import io.preconf.core.tx.ReferenceTransactions.Lst;
import io.preconf.core.tx.ReferenceTransactions.Str;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.Hex;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;
import org.bouncycastle.math.ec.ECPoint;

/**
 * The decoder never throws, whatever the bytes, and whatever it accepts agrees with a second, naive
 * implementation ({@link ReferenceTransactions}) on every field and on the sender.
 */
class TransactionDecoderPropertiesTest {
  private static final BigInteger MAX_SAFE = BigInteger.valueOf((1L << 53) - 1);
  private static final List<byte[]> VECTOR_RAWS =
      TransactionVectors.vectors().stream()
          .map(v -> Hex.decode("vector", v.raw()))
          .filter(raw -> raw.length < 2048) // keep mutations near the fields, not deep in init code
          .toList();

  // ---- (a) arbitrary input ----

  @Property
  void arbitraryBytesNeverThrowAndAreOkOrAnInvalidTransaction(@ForAll @Size(max = 400) byte[] raw) {
    assertOutcomeIsAValue(raw);
  }

  @Property
  void arbitraryBytesBehindTheType1Or2PrefixNeverThrow(
      @ForAll("typedPrefix") byte type, @ForAll @Size(max = 400) byte[] body) {
    assertOutcomeIsAValue(concat(new byte[] {type}, body));
  }

  @Property
  void randomlyFilledRlpListsOfTransactionShapeNeverThrowAndAgreeWithTheReferenceWhenAccepted(
      @ForAll("transactionShapedRlp") byte[] raw) {
    Result<DecodedTransaction> result = assertOutcomeIsAValue(raw);
    if (result.isOk()) {
      assertAgreesWithReference(raw, result.value());
    }
  }

  // ---- (b) valid vectors, mutated ----

  @Property(tries = 2000)
  void mutatedVectorsNeverThrowAndAnyAcceptedOneAgreesWithItsBytes(
      @ForAll("mutatedVectors") byte[] raw) {
    Result<DecodedTransaction> result = assertOutcomeIsAValue(raw);
    Statistics.label("outcome")
        .collect(result.isOk() ? "accepted" : result.rejection().reason().name());
    if (result.isOk()) {
      assertAgreesWithReference(raw, result.value());
    }
    Statistics.label("outcome")
        .coverage(
            c -> {
              c.check("accepted").percentage(p -> p > 5);
              c.check("MALFORMED_RLP").percentage(p -> p > 5);
            });
  }

  @Property(tries = 500)
  void anyNonCanonicalReEncodingOfAValidVectorIsMalformed(
      @ForAll("vectorIndex") int vector,
      @ForAll("fieldIndex") int fieldChoice,
      @ForAll("nonCanonicalForm") NonCanonical form) {
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
    Result<DecodedTransaction> result = assertOutcomeIsAValue(mutated);
    Statistics.collect(form, stillCanonical ? "data" : "refused");
    if (!stillCanonical) {
      assertThat(result.isOk()).as("accepted %s of field %d", form, field).isFalse();
      assertThat(result.rejection().reason())
          .as(result.rejection().message())
          .isEqualTo(Reason.MALFORMED_RLP);
    }
  }

  enum NonCanonical {
    LONG_FORM_HEADER,
    LENGTH_WITH_LEADING_ZERO,
    LEADING_ZERO_OR_WRAPPED_BYTE
  }

  private static int dataIndex(byte first) {
    return (first & 0xff) >= 0xc0 ? 5 : first == 1 ? 6 : 7;
  }

  @Provide
  Arbitrary<Integer> vectorIndex() {
    return Arbitraries.integers().between(0, VECTOR_RAWS.size() - 1);
  }

  @Provide
  Arbitrary<Integer> fieldIndex() {
    return Arbitraries.integers().between(0, 11);
  }

  @Provide
  Arbitrary<NonCanonical> nonCanonicalForm() {
    return Arbitraries.of(NonCanonical.class);
  }

  // ---- freshly signed transactions ----

  @Property(tries = 300)
  void anyFreshlySignedTransactionDecodesToItsFieldsAndItsSigner(
      @ForAll("freshTransactions") Fresh fresh) {
    Result<DecodedTransaction> result = TransactionDecoder.decode(Bytes.wrap(fresh.raw()));
    assertThat(result.isOk()).as(() -> result.isOk() ? "" : result.rejection().toString()).isTrue();
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
    assertThat(tx.dataSize()).isEqualTo(((Str) f.get(i)).bytes().length);

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

  @Provide
  Arbitrary<Byte> typedPrefix() {
    return Arbitraries.of((byte) 1, (byte) 2);
  }

  /** Lists with a transaction's field count, each field a random string or, sometimes, a list. */
  @Provide
  Arbitrary<byte[]> transactionShapedRlp() {
    Arbitrary<Item> field =
        Arbitraries.frequencyOf(
            Tuple.of(6, randomString()),
            Tuple.of(1, accessList()),
            Tuple.of(1, Arbitraries.just(list())));
    return Arbitraries.of(0, 1, 2)
        .flatMap(
            type ->
                field
                    .list()
                    .ofSize(type == 0 ? 9 : type == 1 ? 11 : 12)
                    .map(
                        fields -> {
                          byte[] body = ReferenceTransactions.encode(new Lst(fields));
                          return type == 0 ? body : concat(new byte[] {type.byteValue()}, body);
                        }));
  }

  private static Arbitrary<Item> randomString() {
    return Arbitraries.oneOf(
            Arbitraries.of(0, 1, 2, 8, 20, 32, 33), Arbitraries.integers().between(0, 70))
        .flatMap(n -> Arbitraries.bytes().array(byte[].class).ofSize(n))
        .map(ReferenceTransactions::str);
  }

  private static Arbitrary<Item> accessList() {
    Arbitrary<Item> entry =
        Combinators.combine(
                Arbitraries.bytes().array(byte[].class).ofSize(20),
                Arbitraries.bytes().array(byte[].class).ofSize(32).list().ofMaxSize(3))
            .as(
                (address, keys) ->
                    list(str(address), new Lst(keys.stream().map(k -> (Item) str(k)).toList())));
    return entry.list().ofMaxSize(3).map(Lst::new);
  }

  @Provide
  Arbitrary<byte[]> mutatedVectors() {
    return Arbitraries.of(VECTOR_RAWS).flatMap(TransactionDecoderPropertiesTest::mutations);
  }

  private static Arbitrary<byte[]> mutations(byte[] raw) {
    Arbitrary<Integer> at = position(raw.length);
    Arbitrary<Byte> anyByte = Arbitraries.bytes();
    return Arbitraries.oneOf(
        Combinators.combine(at, Arbitraries.integers().between(0, 7))
            .as((i, bit) -> with(raw, i, (byte) (raw[i] ^ (1 << bit)))),
        Combinators.combine(at, anyByte).as((i, b) -> with(raw, i, b)),
        Arbitraries.integers().between(0, raw.length - 1).map(n -> Arrays.copyOf(raw, n)),
        Arbitraries.bytes()
            .array(byte[].class)
            .ofMinSize(1)
            .ofMaxSize(8)
            .map(tail -> concat(raw, tail)),
        Combinators.combine(at, anyByte).as((i, b) -> inserted(raw, i, b)),
        at.map(i -> deleted(raw, i)));
  }

  /** Mostly the headers and small fields at the front, or the signature at the back. */
  private static Arbitrary<Integer> position(int length) {
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.integers().between(0, Math.min(length, 120) - 1)),
        Tuple.of(2, Arbitraries.integers().between(Math.max(0, length - 70), length - 1)),
        Tuple.of(1, Arbitraries.integers().between(0, length - 1)));
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
      int dataSize) {}

  @Provide
  Arbitrary<Fresh> freshTransactions() {
    Arbitrary<BigInteger> uint256 =
        Arbitraries.integers()
            .between(0, 32)
            .flatMap(n -> Arbitraries.bytes().array(byte[].class).ofSize(n))
            .map(b -> new BigInteger(1, b));
    Arbitrary<BigInteger> key =
        Arbitraries.bigIntegers()
            .between(BigInteger.ONE, ReferenceTransactions.N.subtract(BigInteger.ONE));
    Arbitrary<byte[]> to = Arbitraries.bytes().array(byte[].class).ofSize(20).injectNull(0.2);
    Arbitrary<byte[]> data =
        Arbitraries.oneOf(
            Arbitraries.bytes().array(byte[].class).ofMaxSize(80),
            Arbitraries.bytes().array(byte[].class).ofMinSize(100).ofMaxSize(3000));
    return Combinators.combine(
            Arbitraries.of(0, 1, 2),
            key,
            Arbitraries.longs().between(1, MAX_SAFE.longValueExact()),
            Arbitraries.longs().between(0, MAX_SAFE.longValueExact()),
            Arbitraries.longs().between(0, Long.MAX_VALUE),
            Combinators.combine(uint256, uint256, uint256).as(List::of),
            to,
            data)
        .flatAs(
            (type, privateKey, chainId, nonce, gasLimit, amounts, recipient, payload) ->
                accessList()
                    .map(
                        al ->
                            fresh(
                                type,
                                privateKey,
                                chainId,
                                nonce,
                                gasLimit,
                                amounts,
                                recipient,
                                payload,
                                al)));
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
