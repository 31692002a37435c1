package io.preconf.core.crypto;

import static io.preconf.core.crypto.MlDsaRing.D;
import static io.preconf.core.crypto.MlDsaRing.GAMMA2;
import static io.preconf.core.crypto.MlDsaRing.N;
import static io.preconf.core.crypto.MlDsaRing.Q;

import java.security.MessageDigest;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.SHAKEDigest;

/**
 * ML-DSA-65 signing and verification (FIPS 204 algorithms 7 and 8, pure, empty context) with each
 * key's expanded form computed once: the matrix Â from ρ, the NTT forms of s1, s2 and t0 for
 * signing, of t1·2^d for verifying, and tr. Bouncy Castle (and the reference code) redo that
 * expansion on every call; it is most of a verification and a fifth of a signature. Keys come from
 * Bouncy Castle's key generation; signatures are byte-identical to its deterministic ones, which
 * {@code MlDsa65CrossCheckTest} and the @noble/post-quantum vectors show.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
final class MlDsa65 {
  static final int PUBLIC_KEY_SIZE = 1952;
  static final int SIGNATURE_SIZE = 3309;

  private static final int K = 6;
  private static final int L = 5;
  private static final int ETA = 4;
  private static final int TAU = 49;
  private static final int BETA = 196;
  private static final int GAMMA1 = 1 << 19;
  private static final int OMEGA = 55;
  private static final int C_TILDE_BYTES = 48;
  private static final int Z_BYTES = 640;
  private static final int W1_BYTES = 128;
  private static final int HINTS_AT = C_TILDE_BYTES + L * Z_BYTES;

  private MlDsa65() {}

  /** A private key ready to sign: FIPS 204 algorithm 7 steps 1 to 5, done once. */
  static final class SigningKey {
    private final int[][][] a;
    private final int[][] s1;
    private final int[][] s2;
    private final int[][] t0;
    private final byte[] key;
    private final byte[] tr;

    /** From the skDecode fields (FIPS 204 algorithm 25) of a 4032-byte private key. */
    SigningKey(byte[] rho, byte[] key, byte[] tr, byte[] s1, byte[] s2, byte[] t0) {
      this.a = expandA(rho);
      this.key = key.clone();
      this.tr = tr.clone();
      this.s1 = new int[L][];
      for (int i = 0; i < L; i++) {
        this.s1[i] = transformed(unpackEta(s1, i * 128));
      }
      this.s2 = new int[K][];
      this.t0 = new int[K][];
      for (int i = 0; i < K; i++) {
        this.s2[i] = transformed(unpackEta(s2, i * 128));
        this.t0[i] = transformed(unpackT0(t0, i * 416));
      }
    }

    /** The deterministic signature (rnd = 32 zero bytes) of {@code message}. */
    byte[] sign(byte[] message) {
      byte[] mu = mu(tr, message);
      byte[] rhoPrime = shake256(64, key, new byte[32], mu);
      byte[] sig = new byte[SIGNATURE_SIZE];
      byte[] w1Encoded = new byte[K * W1_BYTES];
      int[][] y = new int[L][N];
      int[][] z = new int[L][N];
      int[][] w1 = new int[K][N];
      int[][] w0 = new int[K][N];
      int[][] h = new int[K][N];
      int[] c = new int[N];
      for (int kappa = 0; ; kappa += L) {
        for (int i = 0; i < L; i++) {
          expandMask(rhoPrime, kappa + i, y[i]);
          System.arraycopy(y[i], 0, z[i], 0, N);
          MlDsaRing.ntt(z[i]);
        }
        for (int i = 0; i < K; i++) {
          int[] w = matrixRow(a[i], z, w1[i]);
          for (int n = 0; n < N; n++) {
            int r = MlDsaRing.addQIfNegative(w[n]);
            w[n] = MlDsaRing.highBits(r);
            w0[i][n] = MlDsaRing.lowBits(r, w[n]);
          }
          packW1(w, w1Encoded, i * W1_BYTES);
        }
        shake256Into(sig, 0, C_TILDE_BYTES, mu, w1Encoded);
        sampleInBall(sig, c);
        MlDsaRing.ntt(c);

        if (!maskedSecret(c, s1, y, z, GAMMA1 - BETA)
            || !lowBitsHide(c, w0, h)
            || !hintsFit(c, w0, w1, h)) {
          continue;
        }
        for (int i = 0; i < L; i++) {
          packZ(z[i], sig, C_TILDE_BYTES + i * Z_BYTES);
        }
        packHints(h, sig);
        return sig;
      }
    }

    /** z = y + c·s1, reduced; false when ||z||∞ >= bound (FIPS 204 algorithm 7, step 23). */
    private static boolean maskedSecret(int[] c, int[][] s1, int[][] y, int[][] z, int bound) {
      for (int i = 0; i < L; i++) {
        MlDsaRing.multiply(c, s1[i], z[i]);
        MlDsaRing.inverseNtt(z[i]);
        for (int n = 0; n < N; n++) {
          z[i][n] = MlDsaRing.reduce32(z[i][n] + y[i][n]);
        }
        if (MlDsaRing.exceeds(z[i], bound)) {
          return false;
        }
      }
      return true;
    }

    /** r0 = LowBits(w - c·s2) into w0; false when ||r0||∞ >= γ2 - β. */
    private boolean lowBitsHide(int[] c, int[][] w0, int[][] scratch) {
      for (int i = 0; i < K; i++) {
        int[] cs2 = scratch[i];
        MlDsaRing.multiply(c, s2[i], cs2);
        MlDsaRing.inverseNtt(cs2);
        for (int n = 0; n < N; n++) {
          w0[i][n] = MlDsaRing.reduce32(w0[i][n] - cs2[n]);
        }
        if (MlDsaRing.exceeds(w0[i], GAMMA2 - BETA)) {
          return false;
        }
      }
      return true;
    }

    /** h = MakeHint(-c·t0, w - c·s2 + c·t0); false when ||c·t0||∞ >= γ2 or h has over ω ones. */
    private boolean hintsFit(int[] c, int[][] w0, int[][] w1, int[][] h) {
      int ones = 0;
      for (int i = 0; i < K; i++) {
        int[] ct0 = h[i];
        MlDsaRing.multiply(c, t0[i], ct0);
        MlDsaRing.inverseNtt(ct0);
        MlDsaRing.reduce(ct0);
        if (MlDsaRing.exceeds(ct0, GAMMA2)) {
          return false;
        }
        for (int n = 0; n < N; n++) {
          ct0[n] = MlDsaRing.makeHint(w0[i][n] + ct0[n], w1[i][n]);
          ones += ct0[n];
        }
      }
      return ones <= OMEGA;
    }
  }

  /** A public key ready to verify: Â, NTT(t1·2^d) and tr, computed once. */
  static final class VerifyingKey {
    private final int[][][] a;
    private final int[][] t1;
    private final byte[] tr;

    /** From a 1952-byte encoded public key (pkDecode, FIPS 204 algorithm 23). */
    VerifyingKey(byte[] encoded) {
      if (encoded.length != PUBLIC_KEY_SIZE) {
        throw new IllegalArgumentException(
            "an ML-DSA-65 public key is "
                + PUBLIC_KEY_SIZE
                + " bytes, got "
                + encoded.length
                + " bytes");
      }
      byte[] rho = Arrays.copyOf(encoded, 32);
      this.a = expandA(rho);
      this.tr = shake256(64, encoded);
      this.t1 = new int[K][];
      for (int i = 0; i < K; i++) {
        int[] t = unpack(encoded, 32 + i * 320, 10);
        for (int n = 0; n < N; n++) {
          t[n] <<= D;
        }
        this.t1[i] = transformed(t);
      }
    }

    /** FIPS 204 algorithm 8: false for any signature of the wrong size, encoding or value. */
    boolean verify(byte[] message, byte[] sig) {
      if (sig.length != SIGNATURE_SIZE) {
        return false;
      }
      int[][] h = new int[K][N];
      if (!unpackHints(sig, h)) {
        return false;
      }
      int[][] z = new int[L][];
      for (int i = 0; i < L; i++) {
        z[i] = unpackZ(sig, C_TILDE_BYTES + i * Z_BYTES);
        if (MlDsaRing.exceeds(z[i], GAMMA1 - BETA)) {
          return false;
        }
        MlDsaRing.ntt(z[i]);
      }
      int[] c = new int[N];
      sampleInBall(sig, c);
      MlDsaRing.ntt(c);

      byte[] w1Encoded = new byte[K * W1_BYTES];
      int[] w = new int[N];
      int[] ct1 = new int[N];
      for (int i = 0; i < K; i++) {
        Arrays.fill(w, 0);
        for (int j = 0; j < L; j++) {
          MlDsaRing.multiplyAdd(a[i][j], z[j], w);
        }
        MlDsaRing.multiply(c, t1[i], ct1);
        for (int n = 0; n < N; n++) {
          w[n] = MlDsaRing.reduce32(w[n] - ct1[n]);
        }
        MlDsaRing.inverseNtt(w);
        for (int n = 0; n < N; n++) {
          w[n] = MlDsaRing.useHint(MlDsaRing.addQIfNegative(w[n]), h[i][n]);
        }
        packW1(w, w1Encoded, i * W1_BYTES);
      }
      byte[] cTilde = new byte[C_TILDE_BYTES];
      shake256Into(cTilde, 0, C_TILDE_BYTES, mu(tr, message), w1Encoded);
      return MessageDigest.isEqual(cTilde, Arrays.copyOf(sig, C_TILDE_BYTES));
    }
  }

  // ------------------------------------------------------------ hashing and sampling

  /** μ = H(tr || 0 || 0 || M, 64): the pure, empty-context message representative. */
  private static byte[] mu(byte[] tr, byte[] message) {
    return shake256(64, tr, new byte[2], message);
  }

  private static byte[] shake256(int size, byte[]... parts) {
    byte[] out = new byte[size];
    shake256Into(out, 0, size, parts);
    return out;
  }

  private static void shake256Into(byte[] out, int offset, int size, byte[]... parts) {
    SHAKEDigest shake = new SHAKEDigest(256);
    for (byte[] p : parts) {
      shake.update(p, 0, p.length);
    }
    shake.doFinal(out, offset, size);
  }

  /** FIPS 204 algorithm 32 (ExpandA): Â[r][s] = RejNTTPoly(ρ || s || r). */
  private static int[][][] expandA(byte[] rho) {
    int[][][] a = new int[K][L][];
    byte[] block = new byte[168];
    for (int r = 0; r < K; r++) {
      for (int s = 0; s < L; s++) {
        SHAKEDigest shake = new SHAKEDigest(128);
        shake.update(rho, 0, rho.length);
        shake.update((byte) s);
        shake.update((byte) r);
        int[] poly = new int[N];
        int filled = 0;
        while (filled < N) {
          shake.doOutput(block, 0, block.length);
          for (int b = 0; b + 3 <= block.length && filled < N; b += 3) {
            int t = (block[b] & 0xff) | (block[b + 1] & 0xff) << 8 | (block[b + 2] & 0x7f) << 16;
            if (t < Q) {
              poly[filled++] = t;
            }
          }
        }
        a[r][s] = poly;
      }
    }
    return a;
  }

  /** FIPS 204 algorithm 34 (ExpandMask), one polynomial: y = γ1 - BitUnpack(H(ρ'' || nonce)). */
  private static void expandMask(byte[] rhoPrime, int nonce, int[] y) {
    SHAKEDigest shake = new SHAKEDigest(256);
    shake.update(rhoPrime, 0, rhoPrime.length);
    shake.update((byte) nonce);
    shake.update((byte) (nonce >> 8));
    byte[] bytes = new byte[Z_BYTES];
    shake.doFinal(bytes, 0, Z_BYTES);
    unpackInto(bytes, 0, 20, y);
    for (int n = 0; n < N; n++) {
      y[n] = GAMMA1 - y[n];
    }
  }

  /** FIPS 204 algorithm 29 (SampleInBall) from c̃, the signature's first 48 bytes. */
  private static void sampleInBall(byte[] sig, int[] c) {
    SHAKEDigest shake = new SHAKEDigest(256);
    shake.update(sig, 0, C_TILDE_BYTES);
    byte[] block = new byte[136];
    shake.doOutput(block, 0, block.length);
    long signs = 0;
    for (int i = 0; i < 8; i++) {
      signs |= (long) (block[i] & 0xff) << (8 * i);
    }
    int pos = 8;
    Arrays.fill(c, 0);
    for (int i = N - TAU; i < N; i++) {
      int b;
      do {
        if (pos == block.length) {
          shake.doOutput(block, 0, block.length);
          pos = 0;
        }
        b = block[pos++] & 0xff;
      } while (b > i);
      c[i] = c[b];
      c[b] = 1 - 2 * (int) (signs & 1);
      signs >>>= 1;
    }
  }

  // ------------------------------------------------------------ arithmetic over vectors

  /** Σ_j Â[row][j] ∘ ẑ_j, back in the normal domain: one row of NTT^-1(Â ∘ ẑ) into out. */
  private static int[] matrixRow(int[][] row, int[][] zHat, int[] out) {
    Arrays.fill(out, 0);
    for (int j = 0; j < L; j++) {
      MlDsaRing.multiplyAdd(row[j], zHat[j], out);
    }
    MlDsaRing.reduce(out);
    MlDsaRing.inverseNtt(out);
    return out;
  }

  private static int[] transformed(int[] poly) {
    MlDsaRing.ntt(poly);
    return poly;
  }

  // ------------------------------------------------------------ encodings (FIPS 204 section 7.1)

  /** BitUnpack of 256 coefficients of {@code bits} bits each, little-endian, into out. */
  private static void unpackInto(byte[] in, int offset, int bits, int[] out) {
    long acc = 0;
    int have = 0;
    int p = offset;
    int mask = (1 << bits) - 1;
    for (int i = 0; i < N; i++) {
      while (have < bits) {
        acc |= (long) (in[p++] & 0xff) << have;
        have += 8;
      }
      out[i] = (int) acc & mask;
      acc >>>= bits;
      have -= bits;
    }
  }

  private static int[] unpack(byte[] in, int offset, int bits) {
    int[] out = new int[N];
    unpackInto(in, offset, bits, out);
    return out;
  }

  /** SimpleBitPack's inverse direction: 256 coefficients in [0, 2^bits) into out at offset. */
  private static void pack(int[] in, int bits, byte[] out, int offset) {
    long acc = 0;
    int have = 0;
    int p = offset;
    for (int i = 0; i < N; i++) {
      acc |= (long) in[i] << have;
      have += bits;
      while (have >= 8) {
        out[p++] = (byte) acc;
        acc >>>= 8;
        have -= 8;
      }
    }
  }

  private static int[] unpackEta(byte[] in, int offset) {
    int[] s = unpack(in, offset, 4);
    for (int n = 0; n < N; n++) {
      s[n] = ETA - s[n];
    }
    return s;
  }

  private static int[] unpackT0(byte[] in, int offset) {
    int[] t = unpack(in, offset, D);
    for (int n = 0; n < N; n++) {
      t[n] = (1 << (D - 1)) - t[n];
    }
    return t;
  }

  private static int[] unpackZ(byte[] in, int offset) {
    int[] z = unpack(in, offset, 20);
    for (int n = 0; n < N; n++) {
      z[n] = GAMMA1 - z[n];
    }
    return z;
  }

  private static void packZ(int[] z, byte[] out, int offset) {
    int[] shifted = new int[N];
    for (int n = 0; n < N; n++) {
      shifted[n] = GAMMA1 - z[n];
    }
    pack(shifted, 20, out, offset);
  }

  /** w1Encode (FIPS 204 algorithm 28) of one polynomial with coefficients in [0, 16). */
  private static void packW1(int[] w1, byte[] out, int offset) {
    for (int i = 0; i < N / 2; i++) {
      out[offset + i] = (byte) (w1[2 * i] | w1[2 * i + 1] << 4);
    }
  }

  /** HintBitPack (FIPS 204 algorithm 20): the positions of the ones, then each row's end. */
  private static void packHints(int[][] h, byte[] sig) {
    int k = 0;
    for (int i = 0; i < K; i++) {
      for (int n = 0; n < N; n++) {
        if (h[i][n] != 0) {
          sig[HINTS_AT + k++] = (byte) n;
        }
      }
      sig[HINTS_AT + OMEGA + i] = (byte) k;
    }
  }

  /**
   * HintBitUnpack (FIPS 204 algorithm 21): false for a malformed hint (row ends out of order or
   * past ω, positions not increasing, or padding not zero), as strong unforgeability requires.
   */
  private static boolean unpackHints(byte[] sig, int[][] h) {
    int k = 0;
    for (int i = 0; i < K; i++) {
      int end = sig[HINTS_AT + OMEGA + i] & 0xff;
      if (end < k || end > OMEGA) {
        return false;
      }
      for (int j = k; j < end; j++) {
        int position = sig[HINTS_AT + j] & 0xff;
        if (j > k && position <= (sig[HINTS_AT + j - 1] & 0xff)) {
          return false;
        }
        h[i][position] = 1;
      }
      k = end;
    }
    for (int j = k; j < OMEGA; j++) {
      if (sig[HINTS_AT + j] != 0) {
        return false;
      }
    }
    return true;
  }
}
