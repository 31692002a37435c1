package io.preconf.core.bench;

import io.preconf.core.commit.CommitmentTypedData;
import io.preconf.core.crypto.MlDsaSigner;
import io.preconf.core.testing.EngineFixture;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.Hash32;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;

/**
 * The JDK's own ML-DSA-65 (JDK 24 and later, JEP 497) on the engine's key and digests, for {@link
 * CpuTime} to set beside the engine's. The JDK takes the key from its 32-byte seed (ξ) and signs
 * deterministically when its {@code SecureRandom} hands it 32 zero bytes for rnd; {@link #prepare}
 * fails unless the signatures then equal the engine's, byte for byte, and on a JDK without ML-DSA.
 */
final class JdkMlDsa {
  static final int DIGESTS = 256;
  private static final Bytes SEED =
      EngineFixture.hex("0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

  private final byte[][] digest = new byte[DIGESTS][];
  private final byte[][] signature = new byte[DIGESTS][];
  private KeyPair keys;
  private SecureRandom zeros;
  private int at;

  /** Hands out the seed once (for key generation), then zeros (rnd of deterministic signing). */
  private static final class Fixed extends SecureRandom {
    private byte[] next;

    Fixed(byte[] first) {
      this.next = first;
    }

    @Override
    public void nextBytes(byte[] out) {
      Arrays.fill(out, (byte) 0);
      if (next != null) {
        System.arraycopy(next, 0, out, 0, Math.min(out.length, next.length));
        next = null;
      }
    }
  }

  void prepare() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("ML-DSA");
    generator.initialize(new NamedParameterSpec("ML-DSA-65"), new Fixed(SEED.toArray()));
    keys = generator.generateKeyPair();
    zeros = new Fixed(null);
    MlDsaSigner engine = MlDsaSigner.fromSeed(SEED);
    for (int i = 0; i < DIGESTS; i++) {
      Hash32 d = CommitmentTypedData.digest(Hash32.ZERO, 1_000L + i, 2_000L + i, false);
      digest[i] = d.toArray();
      signature[i] = sign(digest[i]);
      if (!Bytes.wrap(signature[i]).equals(engine.sign(d))) {
        throw new IllegalStateException("the JDK's signature of digest " + i + " is not ours");
      }
    }
  }

  private int next() {
    at = (at + 1) % DIGESTS;
    return at;
  }

  byte[] sign() throws GeneralSecurityException {
    return sign(digest[next()]);
  }

  boolean verify() throws GeneralSecurityException {
    int i = next();
    Signature verifier = Signature.getInstance("ML-DSA");
    verifier.initVerify(keys.getPublic());
    verifier.update(digest[i]);
    return verifier.verify(signature[i]);
  }

  private byte[] sign(byte[] message) throws GeneralSecurityException {
    Signature signer = Signature.getInstance("ML-DSA");
    signer.initSign(keys.getPrivate(), zeros);
    signer.update(message);
    return signer.sign();
  }
}
