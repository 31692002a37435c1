package io.preconf.core.crypto;

import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.Hash32;
import java.math.BigInteger;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECMultiplier;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.BigIntegers;

/**
 * Ethereum's secp256k1 signature over a digest: 65 bytes {@code r ++ s ++ v}, {@code v} in {27,
 * 28}, {@code k} from RFC 6979 with HMAC-SHA256 and {@code s} in the lower half of the order
 * (EIP-2), so the bytes equal those of ethers' {@code SigningKey.sign} and any Solidity {@code
 * ecrecover} accepts them. The recovery bit comes from R's y parity as the signature is made,
 * rather than from trial recovery afterwards. See <a
 * href="https://www.rfc-editor.org/rfc/rfc6979">RFC 6979</a> and <a
 * href="https://eips.ethereum.org/EIPS/eip-2">EIP-2</a>.
 */
public final class EcdsaSigner implements DigestSigner {
  public static final int SIGNATURE_SIZE = 65;

  private static final ECMultiplier BASE_MULTIPLIER = new FixedPointCombMultiplier();

  private final BigInteger privateKey;
  private final Address address;

  private EcdsaSigner(BigInteger privateKey, Address address) {
    this.privateKey = privateKey;
    this.address = address;
  }

  /**
   * @param key32 the 32-byte big-endian private key {@code d}, with {@code 1 <= d < n}
   * @throws IllegalArgumentException naming what is wrong with the key, never the key itself
   */
  public static EcdsaSigner fromPrivateKey(Bytes key32) {
    if (key32.size() != 32) {
      throw new IllegalArgumentException(
          "a secp256k1 private key must be 32 bytes, got " + key32.size() + " bytes");
    }
    BigInteger d = new BigInteger(1, key32.unsafeArray());
    if (d.signum() == 0) {
      throw new IllegalArgumentException("the secp256k1 private key is zero");
    }
    if (d.compareTo(Secp256k1.N) >= 0) {
      throw new IllegalArgumentException(
          "the secp256k1 private key is not below the curve order n");
    }
    ECPoint publicKey = BASE_MULTIPLIER.multiply(Secp256k1.CURVE.getG(), d);
    return new EcdsaSigner(d, Secp256k1.address(publicKey));
  }

  public Address address() {
    return address;
  }

  @Override
  public Bytes sign(Hash32 digest) {
    BigInteger n = Secp256k1.N;
    byte[] message = digest.toArray();
    BigInteger e = new BigInteger(1, message);
    HMacDSAKCalculator kCalculator = new HMacDSAKCalculator(new SHA256Digest());
    kCalculator.init(n, privateKey, message);
    while (true) {
      BigInteger k = kCalculator.nextK();
      ECPoint bigR = BASE_MULTIPLIER.multiply(Secp256k1.CURVE.getG(), k).normalize();
      BigInteger x = bigR.getAffineXCoord().toBigInteger();
      BigInteger r = x.mod(n);
      // x >= n (odds about 2^-127) would need recovery id 2 or 3, which v cannot carry:
      // take RFC 6979's next k, as for r = 0 or s = 0.
      if (r.signum() == 0 || x.compareTo(n) >= 0) {
        continue;
      }
      BigInteger s = BigIntegers.modOddInverse(n, k).multiply(e.add(r.multiply(privateKey))).mod(n);
      if (s.signum() == 0) {
        continue;
      }
      int recoveryId = bigR.getAffineYCoord().testBitZero() ? 1 : 0;
      if (s.compareTo(Secp256k1.HALF_N) > 0) {
        // (r, n - s) is the signature of the point -R, whose y has the other parity.
        s = n.subtract(s);
        recoveryId ^= 1;
      }
      byte[] out = new byte[SIGNATURE_SIZE];
      BigIntegers.asUnsignedByteArray(r, out, 0, 32);
      BigIntegers.asUnsignedByteArray(s, out, 32, 32);
      out[64] = (byte) (27 + recoveryId);
      return Bytes.wrap(out);
    }
  }

  @Override
  public String toString() {
    return "EcdsaSigner[" + address + "]";
  }
}
