package io.preconf.core.crypto;

/**
 * The arithmetic of ML-DSA's ring Z_q[X]/(X^256 + 1), q = 8380417 (FIPS 204 sections 7.4 and 7.5),
 * with the number-theoretic transform in Montgomery form as the pq-crystals reference
 * implementation computes it ({@code ref/ntt.c}, {@code ref/reduce.c}, {@code ref/rounding.c}), for
 * the ML-DSA-65 parameters. Polynomials are {@code int[256]}, changed in place.
 *
 * <p>See <a href="https://doi.org/10.6028/NIST.FIPS.204">FIPS 204</a> and <a
 * href="https://github.com/pq-crystals/dilithium/tree/master/ref">the reference code</a>.
 */
final class MlDsaRing {
  static final int N = 256;
  static final int Q = 8380417;
  static final int D = 13;
  static final int GAMMA2 = (Q - 1) / 32;

  /** q^-1 mod 2^32. */
  private static final int Q_INV = 58728449;

  /** 2^64 / 256 mod q: undoes the inverse transform's scaling and adds a Montgomery factor. */
  private static final int INVERSE_SCALE = 41978;

  /** 1753^bitrev8(i) · 2^32 mod q, centred: the twiddle factors in the reference's order. */
  private static final int[] ZETAS = zetas();

  private MlDsaRing() {}

  /** a · 2^-32 mod q, for |a| < q · 2^31; the result lies in (-q, q). */
  static int montgomeryReduce(long a) {
    int t = (int) a * Q_INV;
    return (int) ((a - (long) t * Q) >> 32);
  }

  /** A representative of a mod q in [-6283009, 6283008]. */
  static int reduce32(int a) {
    int t = (a + (1 << 22)) >> 23;
    return a - t * Q;
  }

  /** Adds q to a negative a. */
  static int addQIfNegative(int a) {
    return a + ((a >> 31) & Q);
  }

  /** FIPS 204 algorithm 41 (NTT), without reducing its output. */
  static void ntt(int[] a) {
    int k = 0;
    for (int len = 128; len > 0; len >>= 1) {
      for (int start = 0; start < N; start += 2 * len) {
        long zeta = ZETAS[++k];
        for (int j = start; j < start + len; j++) {
          int t = montgomeryReduce(zeta * a[j + len]);
          a[j + len] = a[j] - t;
          a[j] = a[j] + t;
        }
      }
    }
  }

  /** FIPS 204 algorithm 42 (NTT^-1), leaving a factor 2^32 to cancel a pointwise product's. */
  static void inverseNtt(int[] a) {
    int k = N;
    for (int len = 1; len < N; len <<= 1) {
      for (int start = 0; start < N; start += 2 * len) {
        long zeta = -ZETAS[--k];
        for (int j = start; j < start + len; j++) {
          int t = a[j];
          a[j] = t + a[j + len];
          a[j + len] = montgomeryReduce(zeta * (t - a[j + len]));
        }
      }
    }
    for (int j = 0; j < N; j++) {
      a[j] = montgomeryReduce((long) INVERSE_SCALE * a[j]);
    }
  }

  /** out = a ∘ b · 2^-32 in the NTT domain. */
  static void multiply(int[] a, int[] b, int[] out) {
    for (int i = 0; i < N; i++) {
      out[i] = montgomeryReduce((long) a[i] * b[i]);
    }
  }

  /** acc += a ∘ b · 2^-32 in the NTT domain. */
  static void multiplyAdd(int[] a, int[] b, int[] acc) {
    for (int i = 0; i < N; i++) {
      acc[i] += montgomeryReduce((long) a[i] * b[i]);
    }
  }

  static void reduce(int[] a) {
    for (int i = 0; i < N; i++) {
      a[i] = reduce32(a[i]);
    }
  }

  /**
   * True when some coefficient has |a_i| >= bound (the infinity norm check of FIPS 204 algorithms 7
   * and 8); a's coefficients must be reduced. The absolute value is taken without a branch.
   */
  static boolean exceeds(int[] a, int bound) {
    for (int i = 0; i < N; i++) {
      int sign = a[i] >> 31;
      if (a[i] - (sign & 2 * a[i]) >= bound) {
        return true;
      }
    }
    return false;
  }

  /** r1 of FIPS 204 algorithm 36 (Decompose, HighBits) for γ2 = (q-1)/32 over a in [0, q). */
  static int highBits(int a) {
    int a1 = (a + 127) >> 7;
    a1 = (a1 * 1025 + (1 << 21)) >> 22;
    return a1 & 15;
  }

  /** r0 of FIPS 204 algorithm 36 (Decompose, LowBits), given r1 = highBits(a). */
  static int lowBits(int a, int high) {
    int a0 = a - high * 2 * GAMMA2;
    return a0 - ((((Q - 1) / 2 - a0) >> 31) & Q);
  }

  /** FIPS 204 algorithm 39 (MakeHint), from the low part a0 = r0 + z and high part a1. */
  static int makeHint(int a0, int a1) {
    return a0 > GAMMA2 || a0 < -GAMMA2 || (a0 == -GAMMA2 && a1 != 0) ? 1 : 0;
  }

  /** FIPS 204 algorithm 40 (UseHint) for γ2 = (q-1)/32 over a in [0, q). */
  static int useHint(int a, int hint) {
    int a1 = highBits(a);
    if (hint == 0) {
      return a1;
    }
    return lowBits(a, a1) > 0 ? (a1 + 1) & 15 : (a1 - 1) & 15;
  }

  private static int[] zetas() {
    int[] zetas = new int[N];
    for (int i = 0; i < N; i++) {
      int exponent = Integer.reverse(i) >>> 24;
      long z = 1;
      for (int e = 0; e < exponent; e++) {
        z = z * 1753 % Q;
      }
      long mont = (z << 32) % Q;
      zetas[i] = (int) (mont > Q / 2 ? mont - Q : mont);
    }
    return zetas;
  }
}
