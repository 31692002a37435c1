package io.preconf.core.crypto;

import fr.acinq.secp256k1.Secp256k1;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.Hash32;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.math.ec.custom.sec.SecP256K1Curve;
import org.bouncycastle.util.BigIntegers;

/**
 * secp256k1 by <a href="https://github.com/bitcoin-core/secp256k1">libsecp256k1</a> through ACINQ's
 * JNI binding (bundled for Linux x86-64 and AArch64). libsecp256k1 signs with RFC 6979's
 * HMAC-SHA256 nonce and always gives the low {@code s}, so its {@code r ++ s} equal Bouncy
 * Castle's; the binding does not hand out the recovery id, which is found by recovering with id 0
 * and comparing with the signer's own key (one recovery, still well under Bouncy Castle's signing
 * time).
 */
public final class LibSecp256k1 implements Secp256k1Backend {
  private static final System.Logger LOG = System.getLogger(LibSecp256k1.class.getName());

  /**
   * Below this, r may be R.x - n (R.x >= n, odds about 2^-128), which only recovery ids 2 and 3
   * express; Bouncy Castle then moves on to RFC 6979's next k, and so do we by handing it the
   * digest.
   */
  private static final BigInteger P_MINUS_N =
      SecP256K1Curve.q.subtract(io.preconf.core.crypto.Secp256k1.N);

  private final Secp256k1 lib;

  private LibSecp256k1(Secp256k1 lib) {
    this.lib = lib;
  }

  /**
   * Loads the native library and checks it against Bouncy Castle on a known key; on any failure
   * logs why and returns Bouncy Castle.
   */
  static Secp256k1Backend loadOrFallBack() {
    try {
      LibSecp256k1 loaded = new LibSecp256k1(Secp256k1.get());
      loaded.selfTest();
      LOG.log(System.Logger.Level.INFO, "secp256k1 backend: libsecp256k1 (native, JNI)");
      return loaded;
    } catch (LinkageError | RuntimeException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "secp256k1 backend: libsecp256k1 could not be loaded here ("
              + e
              + "); falling back to Bouncy Castle, about three times slower");
      return Secp256k1Backend.bouncyCastle();
    }
  }

  private void selfTest() {
    Bytes key = Bytes.fromHex("self-test key", "0x" + "11".repeat(32));
    Hash32 digest = Keccak.hash(new byte[] {1, 2, 3});
    SigningKey reference = Secp256k1Backend.bouncyCastle().signingKey(key);
    SigningKey mine = signingKey(key);
    Bytes signature = mine.sign(digest);
    if (!mine.address().equals(reference.address()) || !signature.equals(reference.sign(digest))) {
      throw new IllegalStateException("libsecp256k1 disagrees with Bouncy Castle on a known key");
    }
  }

  @Override
  public String name() {
    return "native";
  }

  @Override
  public SigningKey signingKey(Bytes privateKey32) {
    byte[] key = privateKey32.toArray();
    byte[] publicKey = lib.pubkeyCreate(key);
    return new Key(
        lib,
        key,
        publicKey,
        address(publicKey),
        Secp256k1Backend.bouncyCastle().signingKey(privateKey32));
  }

  @Override
  public Optional<Address> recoverAddress(
      Hash32 digest, BigInteger r, BigInteger s, int recoveryId) {
    if (recoveryId != 0 && recoveryId != 1) {
      return Optional.empty();
    }
    byte[] compact = new byte[64];
    try {
      BigIntegers.asUnsignedByteArray(r, compact, 0, 32);
      BigIntegers.asUnsignedByteArray(s, compact, 32, 32);
    } catch (IllegalArgumentException tooLong) {
      return Optional.empty();
    }
    try {
      return Optional.of(address(lib.ecdsaRecover(compact, digest.toArray(), recoveryId)));
    } catch (RuntimeException noKey) {
      // Secp256k1Exception: r or s out of range, or no point with that x.
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return "libsecp256k1 (JNI)";
  }

  /** keccak256 of the 64-byte key after the 0x04 prefix, last 20 bytes. */
  private static Address address(byte[] uncompressed65) {
    byte[] hash = Keccak.digest(uncompressed65, 1, 64);
    return Address.wrap(Arrays.copyOfRange(hash, 12, 32));
  }

  private static final class Key implements SigningKey {
    private final Secp256k1 lib;
    private final byte[] privateKey;
    private final byte[] publicKey;
    private final Address address;
    private final SigningKey fallback;

    Key(Secp256k1 lib, byte[] privateKey, byte[] publicKey, Address address, SigningKey fallback) {
      this.lib = lib;
      this.privateKey = privateKey;
      this.publicKey = publicKey;
      this.address = address;
      this.fallback = fallback;
    }

    @Override
    public Address address() {
      return address;
    }

    @Override
    public Bytes sign(Hash32 digest) {
      byte[] message = digest.toArray();
      byte[] compact = lib.sign(message, privateKey, null);
      if (new BigInteger(1, Arrays.copyOf(compact, 32)).compareTo(P_MINUS_N) < 0) {
        return fallback.sign(digest);
      }
      int recoveryId = recoversMe(compact, message) ? 0 : 1;
      byte[] out = Arrays.copyOf(compact, EcdsaSigner.SIGNATURE_SIZE);
      out[64] = (byte) (27 + recoveryId);
      return Bytes.wrap(out);
    }

    private boolean recoversMe(byte[] compact, byte[] message) {
      try {
        return Arrays.equals(lib.ecdsaRecover(compact, message, 0), publicKey);
      } catch (RuntimeException noPoint) {
        return false;
      }
    }

    @Override
    public String toString() {
      return "libsecp256k1 key " + address;
    }
  }
}
