package io.preconf.core.tx;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.KeccakDigest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECPoint;

/**
 * A second, deliberately naive transaction codec for tests: a lenient recursive RLP parser into
 * trees, a canonical encoder, signing-hash by re-encoding values, and sender recovery written from
 * the textbook formula and checked with Bouncy Castle's ECDSA verifier. Slow and simple, so that it
 * shares no code with the decoder it checks.
 */
final class ReferenceTransactions {
  private static final X9ECParameters PARAMS = CustomNamedCurves.getByName("secp256k1");
  private static final ECDomainParameters DOMAIN =
      new ECDomainParameters(PARAMS.getCurve(), PARAMS.getG(), PARAMS.getN(), PARAMS.getH());
  static final BigInteger N = PARAMS.getN();

  private ReferenceTransactions() {}

  /** An RLP item: a byte string or a list. */
  sealed interface Item permits Str, Lst {}

  record Str(byte[] bytes) implements Item {
    BigInteger uint() {
      return new BigInteger(1, bytes);
    }
  }

  record Lst(List<Item> items) implements Item {}

  static Str str(byte[] bytes) {
    return new Str(bytes);
  }

  static Str uint(BigInteger v) {
    byte[] b = v.toByteArray();
    int skip = 0;
    while (skip < b.length && b[skip] == 0) {
      skip++;
    }
    return new Str(Arrays.copyOfRange(b, skip, b.length));
  }

  static Str uint(long v) {
    return uint(BigInteger.valueOf(v));
  }

  static Lst list(Item... items) {
    return new Lst(List.of(items));
  }

  // ---- Lenient parsing: any length form, no canonical checks. ----

  /** Parses one item that spans all of {@code b} from {@code offset}; null when it does not. */
  static Item parse(byte[] b, int offset) {
    int[] end = new int[1];
    Item item = parse(b, offset, b.length, end);
    return item != null && end[0] == b.length ? item : null;
  }

  private static Item parse(byte[] b, int pos, int limit, int[] end) {
    if (pos >= limit) {
      return null;
    }
    int p = b[pos] & 0xff;
    long start;
    long length;
    boolean isList = p >= 0xc0;
    if (p < 0x80) {
      end[0] = pos + 1;
      return new Str(new byte[] {b[pos]});
    } else if (p <= 0xb7 || (p >= 0xc0 && p <= 0xf7)) {
      start = pos + 1;
      length = p - (isList ? 0xc0 : 0x80);
    } else {
      int lol = p - (isList ? 0xf7 : 0xb7);
      if (pos + 1 + lol > limit) {
        return null;
      }
      BigInteger len = new BigInteger(1, Arrays.copyOfRange(b, pos + 1, pos + 1 + lol));
      if (len.bitLength() > 31) {
        return null;
      }
      start = pos + 1 + lol;
      length = len.longValue();
    }
    if (start + length > limit) {
      return null;
    }
    int s = (int) start;
    int e = (int) (start + length);
    end[0] = e;
    if (!isList) {
      return new Str(Arrays.copyOfRange(b, s, e));
    }
    List<Item> items = new ArrayList<>();
    int at = s;
    while (at < e) {
      int[] itemEnd = new int[1];
      Item item = parse(b, at, e, itemEnd);
      if (item == null) {
        return null;
      }
      items.add(item);
      at = itemEnd[0];
    }
    return new Lst(items);
  }

  // ---- Canonical encoding. ----

  static byte[] encode(Item item) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    encode(item, out);
    return out.toByteArray();
  }

  private static void encode(Item item, ByteArrayOutputStream out) {
    if (item instanceof Str s) {
      byte[] b = s.bytes();
      if (b.length == 1 && (b[0] & 0xff) < 0x80) {
        out.write(b[0]);
      } else {
        header(0x80, b.length, out);
        out.writeBytes(b);
      }
    } else {
      ByteArrayOutputStream payload = new ByteArrayOutputStream();
      for (Item i : ((Lst) item).items()) {
        encode(i, payload);
      }
      header(0xc0, payload.size(), out);
      out.writeBytes(payload.toByteArray());
    }
  }

  private static void header(int base, int length, ByteArrayOutputStream out) {
    if (length < 56) {
      out.write(base + length);
    } else {
      byte[] len = uint(length).bytes();
      out.write(base + 55 + len.length);
      out.writeBytes(len);
    }
  }

  /** The payload of an item without its header (a single low byte is its own payload). */
  static byte[] payload(Item item) {
    if (item instanceof Str s) {
      return s.bytes();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Item i : ((Lst) item).items()) {
      encode(i, out);
    }
    return out.toByteArray();
  }

  /**
   * {@code payload} under the long-form header, which is non-canonical below 56 bytes, with {@code
   * zeros} leading zero bytes in its length, which are never canonical.
   */
  static byte[] longFormHeader(boolean list, byte[] payload, int zeros) {
    byte[] len = uint(payload.length).bytes();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write((list ? 0xf7 : 0xb7) + zeros + len.length);
    out.writeBytes(new byte[zeros]);
    out.writeBytes(len);
    out.writeBytes(payload);
    return out.toByteArray();
  }

  /** A list whose items are already encoded, under a canonical header. */
  static byte[] encodeList(List<byte[]> encodedItems) {
    ByteArrayOutputStream payload = new ByteArrayOutputStream();
    encodedItems.forEach(payload::writeBytes);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    header(0xc0, payload.size(), out);
    out.writeBytes(payload.toByteArray());
    return out.toByteArray();
  }

  static byte[] keccak(byte[]... parts) {
    KeccakDigest d = new KeccakDigest(256);
    for (byte[] p : parts) {
      d.update(p, 0, p.length);
    }
    byte[] out = new byte[32];
    d.doFinal(out, 0);
    return out;
  }

  // ---- Signing hashes, by re-encoding values. ----

  /** The signing hash of a legacy (EIP-155), type-1 or type-2 transaction's fields. */
  static byte[] signingHash(int type, List<Item> fields, long chainId) {
    if (type == 0) {
      List<Item> signed = new ArrayList<>(fields.subList(0, 6));
      signed.add(uint(chainId));
      signed.add(uint(0));
      signed.add(uint(0));
      return keccak(encode(new Lst(signed)));
    }
    int signedCount = type == 1 ? 8 : 9;
    return keccak(new byte[] {(byte) type}, encode(new Lst(fields.subList(0, signedCount))));
  }

  // ---- Keys, signing and recovery. ----

  static byte[] address(ECPoint publicKey) {
    byte[] encoded = publicKey.normalize().getEncoded(false);
    byte[] hash = keccak(Arrays.copyOfRange(encoded, 1, 65));
    return Arrays.copyOfRange(hash, 12, 32);
  }

  static ECPoint publicKey(BigInteger privateKey) {
    return DOMAIN.getG().multiply(privateKey).normalize();
  }

  /** An RFC 6979 signature normalised to low s, as {r, s, yParity}. */
  static BigInteger[] sign(byte[] hash, BigInteger privateKey) {
    ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    signer.init(true, new ECPrivateKeyParameters(privateKey, DOMAIN));
    BigInteger[] rs = signer.generateSignature(hash);
    BigInteger r = rs[0];
    BigInteger s = rs[1];
    if (s.compareTo(N.shiftRight(1)) > 0) {
      s = N.subtract(s);
    }
    ECPoint expected = publicKey(privateKey);
    for (int parity = 0; parity <= 1; parity++) {
      ECPoint q = recoverPoint(hash, r, s, parity);
      if (q != null && q.equals(expected)) {
        return new BigInteger[] {r, s, BigInteger.valueOf(parity)};
      }
    }
    throw new IllegalStateException("no recovery id reproduces the signing key");
  }

  /**
   * Q = r^-1 (sR - eG), with R the point whose x is r and whose y has the given parity; null when
   * there is none or the result does not verify.
   */
  static ECPoint recoverPoint(byte[] hash, BigInteger r, BigInteger s, int parity) {
    if (r.signum() <= 0 || r.compareTo(N) >= 0 || s.signum() <= 0 || s.compareTo(N) >= 0) {
      return null;
    }
    byte[] compressed = new byte[33];
    compressed[0] = (byte) (parity == 0 ? 2 : 3);
    byte[] x = uint(r).bytes();
    System.arraycopy(x, 0, compressed, 33 - x.length, x.length);
    ECPoint bigR;
    try {
      bigR = DOMAIN.getCurve().decodePoint(compressed);
    } catch (IllegalArgumentException notOnCurve) {
      return null;
    }
    BigInteger e = new BigInteger(1, hash);
    ECPoint q =
        bigR.multiply(s).subtract(DOMAIN.getG().multiply(e)).multiply(r.modInverse(N)).normalize();
    if (q.isInfinity()) {
      return null;
    }
    ECDSASigner verifier = new ECDSASigner();
    verifier.init(false, new ECPublicKeyParameters(q, DOMAIN));
    return verifier.verifySignature(hash, r, s) ? q : null;
  }
}
