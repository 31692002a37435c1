package io.preconf.core.crypto;

import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.Hash32;
import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * Ethereum's secp256k1 signature over a digest: 65 bytes {@code r ++ s ++ v}, {@code v} in {27,
 * 28}, {@code k} from RFC 6979 with HMAC-SHA256 and {@code s} in the lower half of the order
 * (EIP-2), so the bytes equal those of ethers' {@code SigningKey.sign} and any Solidity {@code
 * ecrecover} accepts them. The arithmetic is done by a {@link Secp256k1Backend}; every backend
 * gives the same bytes.
 */
public final class EcdsaSigner implements DigestSigner {
  public static final int SIGNATURE_SIZE = 65;

  private final Secp256k1Backend.SigningKey key;
  private final String backend;

  private EcdsaSigner(Secp256k1Backend.SigningKey key, String backend) {
    this.key = key;
    this.backend = backend;
  }

  /** A signer on Bouncy Castle; see {@link #fromPrivateKey(Bytes, Secp256k1Backend)}. */
  public static EcdsaSigner fromPrivateKey(Bytes key32) {
    return fromPrivateKey(key32, Secp256k1Backend.bouncyCastle());
  }

  /** A signer on a fresh random key, for throw-away senders (samples, tests, development). */
  public static EcdsaSigner random(SecureRandom random) {
    byte[] key = new byte[32];
    random.nextBytes(key);
    key[0] &= 0x7f; // below the curve order
    key[31] |= 1; // not zero
    return fromPrivateKey(Bytes.wrap(key));
  }

  /**
   * @param key32 the 32-byte big-endian private key {@code d}, with {@code 1 <= d < n}
   * @throws IllegalArgumentException naming what is wrong with the key, never the key itself
   */
  public static EcdsaSigner fromPrivateKey(Bytes key32, Secp256k1Backend backend) {
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
    return new EcdsaSigner(backend.signingKey(key32), backend.name());
  }

  public Address address() {
    return key.address();
  }

  @Override
  public Bytes sign(Hash32 digest) {
    return key.sign(digest);
  }

  @Override
  public String toString() {
    return "EcdsaSigner[" + key.address() + " on " + backend + "]";
  }
}
