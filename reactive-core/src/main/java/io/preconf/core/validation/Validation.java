package io.preconf.core.validation;

import static io.preconf.core.error.ErrorCode.VALIDATION_FAILED;

import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.crypto.Secp256k1Backend;
import io.preconf.core.engine.EngineConfig;
import io.preconf.core.engine.Signers;
import io.preconf.core.error.Reason;
import io.preconf.core.error.Rejection;
import io.preconf.core.metrics.EngineCounters;
import io.preconf.core.port.Clock;
import io.preconf.core.time.Timeouts;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.smallrye.mutiny.Uni;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * The validate use case: checks a preconfirmation from its own bytes ({@link
 * PreconfirmationValidator}) on the CPU executor, within the validation deadline, and counts the
 * verdict. Needs no key: any process that knows the trusted preconfers can validate.
 */
public final class Validation {
  private final PreconfirmationValidator validator;
  private final Clock clock;
  private final Executor cpu;
  private final EngineCounters counters;
  private final EngineConfig config;

  /**
   * @param self this preconfer, always trusted
   * @param trustedSigners other preconfers whose commitments are accepted
   * @param cpu where the checks run (never an event loop)
   * @param secp256k1 who checks commitment signatures and recovers raw transactions' senders
   */
  public Validation(
      EngineConfig config,
      Signers self,
      List<TrustedSigner> trustedSigners,
      Clock clock,
      Executor cpu,
      EngineCounters counters,
      Secp256k1Backend secp256k1) {
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.cpu = Objects.requireNonNull(cpu, "cpu");
    this.counters = Objects.requireNonNull(counters, "counters");
    Map<Address, TrustedSigner> trusted = new HashMap<>();
    for (TrustedSigner t : trustedSigners) {
      trusted.put(t.address(), t);
    }
    trusted.put(self.address(), new TrustedSigner(self.address(), self.pqPublicKey()));
    this.validator =
        new PreconfirmationValidator(
            trusted,
            config.requireQuantumSignature(),
            config.verifiedRootCacheSize(),
            counters,
            Objects.requireNonNull(secp256k1, "secp256k1"));
  }

  /**
   * Validates a preconfirmation; {@code rawTransaction} (may be null) must then be the promised
   * transaction.
   *
   * <p>A leaf of a commitment verified before, with no raw transaction, costs a few hashes (the
   * leaf and its proof): it is checked where it is asked, since the hop to the CPU executor and the
   * deadline's timer would cost more than the check. Anything with a signature to check goes to the
   * CPU executor, within the validation deadline.
   */
  public Uni<ValidationReport> validate(Preconfirmation preconfirmation, Bytes rawTransaction) {
    if (rawTransaction == null && validator.verifiedBefore(preconfirmation.commitment())) {
      return Uni.createFrom()
          .item(() -> validator.check(preconfirmation, null, clock.nowMillis()))
          .onItem()
          .invoke(this::count);
    }
    return Uni.createFrom()
        .item(() -> validator.check(preconfirmation, rawTransaction, clock.nowMillis()))
        .runSubscriptionOn(cpu)
        .ifNoItem()
        .after(config.validationTimeout())
        .on(Timeouts.scheduler())
        .recoverWithItem(
            () ->
                new ValidationReport(
                    List.of(
                        Rejection.of(
                            VALIDATION_FAILED,
                            Reason.TIMEOUT,
                            "validation did not complete within "
                                + config.validationTimeout().toMillis()
                                + " ms"))))
        .onItem()
        .invoke(this::count);
  }

  /** A preconfirmation that could not even be read: invalid for {@code why}, and counted so. */
  public Uni<ValidationReport> refuse(Rejection why) {
    ValidationReport report = new ValidationReport(List.of(why));
    count(report);
    return Uni.createFrom().item(report);
  }

  private void count(ValidationReport report) {
    counters.validated(report.valid());
    report.errors().forEach(e -> counters.rejected(e.reason()));
  }
}
