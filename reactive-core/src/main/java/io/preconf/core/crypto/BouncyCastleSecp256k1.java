package io.preconf.core.crypto;

import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.Hash32;
import java.math.BigInteger;
import java.util.Optional;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECMultiplier;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.BigIntegers;

/**
 * secp256k1 in pure Java on Bouncy Castle: runs everywhere, the reference the native backend is
 * tested against. {@code k} comes from RFC 6979 with HMAC-SHA256 and {@code s} is kept in the lower
 * half of the order (EIP-2), so the bytes equal those of ethers' {@code SigningKey.sign}. The
 * recovery bit comes from R's y parity as the signature is made, rather than from trial recovery
 * afterwards. See <a href="https://www.rfc-editor.org/rfc/rfc6979">RFC 6979</a> and <a
 * href="https://eips.ethereum.org/EIPS/eip-2">EIP-2</a>.
 */
final class BouncyCastleSecp256k1 implements Secp256k1Backend {
  static final BouncyCastleSecp256k1 INSTANCE = new BouncyCastleSecp256k1();

  private static final ECMultiplier BASE_MULTIPLIER = new FixedPointCombMultiplier();

  private BouncyCastleSecp256k1() {}

  @Override
  public String name() {
    return "bouncycastle";
  }

  @Override
  public Key signingKey(Bytes privateKey32) {
    BigInteger d = new BigInteger(1, privateKey32.unsafeArray());
    ECPoint publicKey = BASE_MULTIPLIER.multiply(Secp256k1.CURVE.getG(), d);
    return new Key(d, Secp256k1.address(publicKey));
  }

  @Override
  public Optional<Address> recoverAddress(
      Hash32 digest, BigInteger r, BigInteger s, int recoveryId) {
    return Secp256k1.recoverAddress(digest, r, s, recoveryId);
  }

  @Override
  public String toString() {
    return "Bouncy Castle secp256k1";
  }

  static final class Key implements SigningKey {
    private final BigInteger privateKey;
    private final Address address;

    private Key(BigInteger privateKey, Address address) {
      this.privateKey = privateKey;
      this.address = address;
    }

    @Override
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
        BigInteger s =
            BigIntegers.modOddInverse(n, k).multiply(e.add(r.multiply(privateKey))).mod(n);
        if (s.signum() == 0) {
          continue;
        }
        int recoveryId = bigR.getAffineYCoord().testBitZero() ? 1 : 0;
        if (s.compareTo(Secp256k1.HALF_N) > 0) {
          // (r, n - s) is the signature of the point -R, whose y has the other parity.
          s = n.subtract(s);
          recoveryId ^= 1;
        }
        byte[] out = new byte[EcdsaSigner.SIGNATURE_SIZE];
        BigIntegers.asUnsignedByteArray(r, out, 0, 32);
        BigIntegers.asUnsignedByteArray(s, out, 32, 32);
        out[64] = (byte) (27 + recoveryId);
        return Bytes.wrap(out);
      }
    }
  }
}
