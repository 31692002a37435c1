package io.preconf.core.engine;

import io.preconf.core.error.Reason;
import io.preconf.core.types.MalformedValueException;
import java.time.Duration;

/**
 * The engine's knobs. {@link #defaults()} gives the seed's table: TTL 1 hour, preconfirmation
 * timeout 30 s, validation timeout 10 s, MEV protection, post-quantum signatures and parallel
 * processing on.
 *
 * @param maxTransactionBytes largest raw transaction taken (128 KiB)
 * @param maxInitCodeBytes largest contract-creation payload (EIP-3860: 49,152 bytes)
 * @param maxTransactionsPerRequest how many transactions one request may carry
 * @param ttl how long a promise holds: expiresAt = issuedAt + ttl
 * @param preconfirmationTimeout bound on one preconfirm request, storage included
 * @param validationTimeout bound on a batch's validation (a single one is checked where it is
 *     asked, bounded CPU work with nothing to wait for)
 * @param mevProtection refuse requests whose legs would put one sender's nonces out of order in a
 *     lane
 * @param quantumSignatures co-sign every commitment with ML-DSA-65
 * @param requireQuantumSignature refuse, in validation, a commitment that has no ML-DSA signature
 * @param parallelProcessing decode and recover the senders of a batch on several cores
 * @param verifiedRootCacheSize how many verified commitments validation remembers
 */
public record EngineConfig(
    int maxTransactionBytes,
    int maxInitCodeBytes,
    int maxTransactionsPerRequest,
    Duration ttl,
    Duration preconfirmationTimeout,
    Duration validationTimeout,
    boolean mevProtection,
    boolean quantumSignatures,
    boolean requireQuantumSignature,
    boolean parallelProcessing,
    int verifiedRootCacheSize) {

  public static final int DEFAULT_MAX_TRANSACTION_BYTES = 128 * 1024;
  public static final int EIP_3860_MAX_INIT_CODE_BYTES = 49_152;

  public EngineConfig {
    positive("maxTransactionBytes", maxTransactionBytes);
    positive("maxInitCodeBytes", maxInitCodeBytes);
    positive("maxTransactionsPerRequest", maxTransactionsPerRequest);
    positive("verifiedRootCacheSize", verifiedRootCacheSize);
    positive("ttl", ttl);
    positive("preconfirmationTimeout", preconfirmationTimeout);
    positive("validationTimeout", validationTimeout);
  }

  public static EngineConfig defaults() {
    return new EngineConfig(
        DEFAULT_MAX_TRANSACTION_BYTES,
        EIP_3860_MAX_INIT_CODE_BYTES,
        256,
        Duration.ofHours(1),
        Duration.ofSeconds(30),
        Duration.ofSeconds(10),
        true,
        true,
        false,
        true,
        100_000);
  }

  public EngineConfig withQuantumSignatures(boolean on) {
    return new EngineConfig(
        maxTransactionBytes,
        maxInitCodeBytes,
        maxTransactionsPerRequest,
        ttl,
        preconfirmationTimeout,
        validationTimeout,
        mevProtection,
        on,
        requireQuantumSignature,
        parallelProcessing,
        verifiedRootCacheSize);
  }

  public EngineConfig withParallelProcessing(boolean on) {
    return new EngineConfig(
        maxTransactionBytes,
        maxInitCodeBytes,
        maxTransactionsPerRequest,
        ttl,
        preconfirmationTimeout,
        validationTimeout,
        mevProtection,
        quantumSignatures,
        requireQuantumSignature,
        on,
        verifiedRootCacheSize);
  }

  public EngineConfig withTimeouts(Duration preconfirmation, Duration validation) {
    return new EngineConfig(
        maxTransactionBytes,
        maxInitCodeBytes,
        maxTransactionsPerRequest,
        ttl,
        preconfirmation,
        validation,
        mevProtection,
        quantumSignatures,
        requireQuantumSignature,
        parallelProcessing,
        verifiedRootCacheSize);
  }

  public EngineConfig withVerifiedRootCacheSize(int size) {
    return new EngineConfig(
        maxTransactionBytes,
        maxInitCodeBytes,
        maxTransactionsPerRequest,
        ttl,
        preconfirmationTimeout,
        validationTimeout,
        mevProtection,
        quantumSignatures,
        requireQuantumSignature,
        parallelProcessing,
        size);
  }

  private static void positive(String name, long value) {
    if (value <= 0) {
      throw new MalformedValueException(
          Reason.OUT_OF_RANGE, name + " must be positive, got " + value);
    }
  }

  private static void positive(String name, Duration value) {
    if (value == null || value.isZero() || value.isNegative()) {
      throw new MalformedValueException(
          Reason.OUT_OF_RANGE, name + " must be a positive duration, got " + value);
    }
  }
}
