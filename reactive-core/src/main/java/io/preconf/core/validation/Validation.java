package io.preconf.core.validation;

import static io.preconf.core.error.ErrorCode.VALIDATION_FAILED;

import io.preconf.core.commit.Commitment;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.crypto.Secp256k1Backend;
import io.preconf.core.engine.EngineConfig;
import io.preconf.core.engine.Signers;
import io.preconf.core.error.Reason;
import io.preconf.core.error.Rejection;
import io.preconf.core.error.Result;
import io.preconf.core.metrics.EngineCounters;
import io.preconf.core.port.Clock;
import io.preconf.core.time.Timeouts;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.Hash32;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * The validate use case: checks a preconfirmation from its own bytes ({@link
 * PreconfirmationValidator}) where it is asked, or a batch's on the CPU executor within the
 * validation deadline, and counts the verdict. Needs no key: any process that knows the trusted
 * preconfers can validate.
 */
public final class Validation {
  /** How many slices a batch's signature checks are cut into, at most. */
  private static final int CORES = Runtime.getRuntime().availableProcessors();

  /** One preconfirmation to check, with the raw transaction it must promise (may be null). */
  public record Asked(Preconfirmation preconfirmation, Bytes rawTransaction) {}

  private final PreconfirmationValidator validator;
  private final Clock clock;
  private final Executor cpu;
  private final EngineCounters counters;
  private final EngineConfig config;

  /**
   * @param self this preconfer, always trusted
   * @param trustedSigners other preconfers whose commitments are accepted
   * @param cpu where a batch's signature checks run (never an event loop)
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
   * <p>It is checked where it is asked, on the caller's thread. A leaf of a commitment verified
   * before costs a few hashes (the leaf and its proof); any other at most one ECDSA recovery and
   * one ML-DSA-65 verification, and one more recovery for a raw transaction: a bounded 0.1-0.2 ms
   * of CPU, the size of a lone transaction's decoding, which preconfirm also does where it arrives.
   * Handing it to the CPU executor and back cost more than that spares an event loop: two thread
   * wake-ups and a timer per validation, over HTTP about a quarter more of the process's CPU per
   * cold validation and twice its context switches ({@code benchmarks/engine-cpu.md}). Only batches
   * go to the executor.
   */
  public Uni<ValidationReport> validate(Preconfirmation preconfirmation, Bytes rawTransaction) {
    return Uni.createFrom()
        .item(() -> validator.check(preconfirmation, rawTransaction, clock.nowMillis()))
        .onItem()
        .invoke(this::count);
  }

  /**
   * The commitment over {@code root} whose signatures verified here before: a reader can hand it
   * back for a body whose commitment it spells byte for byte, instead of decoding the body's 6.6 KB
   * of signature hex again. Whether a commitment verified is still judged on the whole commitment.
   */
  public Optional<Commitment> verified(Hash32 root) {
    return Optional.ofNullable(validator.verified(root));
  }

  /**
   * Each of {@code asked} validated as {@link #validate} validates it alone, or refused for the
   * rejection it was read with, answered in the order asked.
   *
   * <p>Leaves of commitments verified before are checked where they are asked. The others are cut
   * into one slice per core, each slice checked on one hop to the CPU executor, all within one
   * validation deadline counted from when they are asked; what a slice has not checked by then is
   * answered {@link Reason#TIMEOUT}. A hop per preconfirmation cost a batch of a hundred a hundred
   * tasks, timers and context switches, and the executor a thread each while they waited for the
   * two cores.
   */
  public Uni<List<ValidationReport>> validateAll(List<Result<Asked>> asked) {
    int n = asked.size();
    AtomicReferenceArray<ValidationReport> reports = new AtomicReferenceArray<>(n);
    int[] signed = new int[n];
    int toSign = 0;
    long nowMs = clock.nowMillis();
    for (int i = 0; i < n; i++) {
      Result<Asked> one = asked.get(i);
      if (!one.isOk()) {
        reports.set(i, new ValidationReport(List.of(one.rejection())));
      } else if (one.value().rawTransaction() == null
          && validator.verifiedBefore(one.value().preconfirmation().commitment())) {
        reports.set(i, validator.check(one.value().preconfirmation(), null, nowMs));
      } else {
        signed[toSign++] = i;
      }
    }
    if (toSign == 0) {
      return Uni.createFrom().item(() -> counted(reports));
    }
    int[] slice = Arrays.copyOf(signed, toSign);
    int slices = Math.min(toSign, CORES);
    List<Uni<Boolean>> work = new ArrayList<>(slices);
    for (int s = 0; s < slices; s++) {
      int from = s * toSign / slices;
      int to = (s + 1) * toSign / slices;
      work.add(onCpu(() -> checkSlice(asked, slice, from, to, reports)));
    }
    // Combined even when there is one slice: the combination is subscribed at once, so the
    // deadline runs from when the batch was asked, not from when a slice left the queue.
    Uni<Boolean> all = Uni.combine().all().unis(work).with(done -> Boolean.TRUE);
    return withinDeadline(all, () -> Boolean.FALSE)
        .onItem()
        .transform(
            inTime -> {
              ValidationReport late = timedOut();
              for (int i : slice) {
                reports.compareAndSet(i, null, late);
              }
              return counted(reports);
            });
  }

  /** Checks {@code asked[slice[from..to)]} in turn, each report set as soon as it is made. */
  private boolean checkSlice(
      List<Result<Asked>> asked,
      int[] slice,
      int from,
      int to,
      AtomicReferenceArray<ValidationReport> reports) {
    for (int k = from; k < to; k++) {
      int i = slice[k];
      Asked one = asked.get(i).value();
      reports.compareAndSet(
          i, null, validator.check(one.preconfirmation(), one.rawTransaction(), clock.nowMillis()));
    }
    return true;
  }

  private List<ValidationReport> counted(AtomicReferenceArray<ValidationReport> reports) {
    List<ValidationReport> out = new ArrayList<>(reports.length());
    for (int i = 0; i < reports.length(); i++) {
      ValidationReport report = reports.get(i);
      count(report);
      out.add(report);
    }
    return out;
  }

  private <T> Uni<T> onCpu(Supplier<T> work) {
    return Uni.createFrom().item(work).runSubscriptionOn(cpu);
  }

  /** {@code work}'s answer, or {@code late}'s past the validation deadline. */
  private <T> Uni<T> withinDeadline(Uni<T> work, Supplier<T> late) {
    return work.ifNoItem()
        .after(config.validationTimeout())
        .on(Timeouts.scheduler())
        .recoverWithItem(late);
  }

  private ValidationReport timedOut() {
    return new ValidationReport(
        List.of(
            Rejection.of(
                VALIDATION_FAILED,
                Reason.TIMEOUT,
                "validation did not complete within "
                    + config.validationTimeout().toMillis()
                    + " ms")));
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
