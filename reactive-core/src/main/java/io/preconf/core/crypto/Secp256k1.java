package io.preconf.core.crypto;

import io.preconf.core.types.Address;
import io.preconf.core.types.Hash32;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9IntegerConverter;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.custom.sec.SecP256K1Curve;

/**
 * secp256k1 as Ethereum uses it: public key recovery from (r, s, recovery id) and the address of a
 * public key. Mirrors SEC 1 v2 section 4.1.6, as go-ethereum's {@code crypto.Ecrecover} does.
 */
public final class Secp256k1 {
  private static final X9ECParameters PARAMS = CustomNamedCurves.getByName("secp256k1");
  public static final ECDomainParameters CURVE =
      new ECDomainParameters(PARAMS.getCurve(), PARAMS.getG(), PARAMS.getN(), PARAMS.getH());
  public static final BigInteger N = PARAMS.getN();
  public static final BigInteger HALF_N = N.shiftRight(1);
  private static final BigInteger P = SecP256K1Curve.q;

  private Secp256k1() {}

  /** True when {@code 0 < r < n} and {@code 0 < s <= n/2} (EIP-2's low-s rule). */
  public static boolean isCanonical(BigInteger r, BigInteger s) {
    return r.signum() > 0 && r.compareTo(N) < 0 && s.signum() > 0 && s.compareTo(HALF_N) <= 0;
  }

  /**
   * Recovers the signer's address, or empty when the signature does not determine a point. The
   * caller checks ranges ({@link #isCanonical}) first; this only does the curve work.
   *
   * @param recoveryId 0 or 1: the parity of R's y coordinate
   */
  public static Optional<Address> recoverAddress(
      Hash32 messageHash, BigInteger r, BigInteger s, int recoveryId) {
    return recoverPublicKey(messageHash, r, s, recoveryId).map(Secp256k1::address);
  }

  /** The recovered public key as an uncompressed point, or empty. */
  public static Optional<ECPoint> recoverPublicKey(
      Hash32 messageHash, BigInteger r, BigInteger s, int recoveryId) {
    if (recoveryId != 0 && recoveryId != 1) {
      return Optional.empty();
    }
    if (r.signum() <= 0 || r.compareTo(N) >= 0 || s.signum() <= 0 || s.compareTo(N) >= 0) {
      return Optional.empty();
    }
    // x = r (the r >= p - n case, recovery ids 2 and 3, is not produced by Ethereum signers).
    if (r.compareTo(P) >= 0) {
      return Optional.empty();
    }
    // secp256k1's cofactor is 1: every point on the curve has order n, so no n·R check is needed.
    ECPoint bigR = decompress(r, recoveryId == 1);
    if (bigR == null) {
      return Optional.empty();
    }
    BigInteger e = new BigInteger(1, messageHash.toArray());
    BigInteger rInv = r.modInverse(N);
    BigInteger u1 = e.negate().mod(N).multiply(rInv).mod(N);
    BigInteger u2 = s.multiply(rInv).mod(N);
    ECPoint q = ECAlgorithms.sumOfTwoMultiplies(CURVE.getG(), u1, bigR, u2).normalize();
    if (q.isInfinity()) {
      return Optional.empty();
    }
    return Optional.of(q);
  }

  /** keccak256 of the 64-byte uncompressed key, last 20 bytes. */
  public static Address address(ECPoint publicKey) {
    byte[] encoded = publicKey.normalize().getEncoded(false);
    byte[] hash = Keccak.digest(encoded, 1, 64);
    return Address.wrap(Arrays.copyOfRange(hash, 12, 32));
  }

  private static ECPoint decompress(BigInteger x, boolean yOdd) {
    X9IntegerConverter converter = new X9IntegerConverter();
    byte[] compressed = converter.integerToBytes(x, 1 + converter.getByteLength(CURVE.getCurve()));
    compressed[0] = (byte) (yOdd ? 0x03 : 0x02);
    try {
      return CURVE.getCurve().decodePoint(compressed);
    } catch (IllegalArgumentException notOnCurve) {
      return null;
    }
  }
}
