package io.preconf.core.metrics;

import io.preconf.core.error.Reason;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of what the engine did: preconfirmations generated, rounds of group commit and what they
 * carried, validations by outcome and rejections by reason. Lock-free; entry points export them as
 * metrics.
 */
public final class EngineCounters {
  private final LongAdder generated = new LongAdder();
  private final LongAdder validatedValid = new LongAdder();
  private final LongAdder validatedInvalid = new LongAdder();
  private final LongAdder signatureChecks = new LongAdder();
  private final LongAdder rounds = new LongAdder();
  private final LongAdder roundRequests = new LongAdder();
  private final LongAdder roundLegs = new LongAdder();
  private final Map<Reason, LongAdder> rejected = new EnumMap<>(Reason.class);

  public EngineCounters() {
    for (Reason r : Reason.values()) {
      rejected.put(r, new LongAdder());
    }
  }

  public void generated(int count) {
    generated.add(count);
  }

  public void validated(boolean valid) {
    (valid ? validatedValid : validatedInvalid).increment();
  }

  /** A commitment signature verified from scratch, not from the verified-commitment cache. */
  public void signatureChecked() {
    signatureChecks.increment();
  }

  public long signatureChecks() {
    return signatureChecks.sum();
  }

  /**
   * A round of group commit ran, for {@code requests} requests carrying {@code legs} transactions
   * to the lanes: the requests per round show how far the load lets rounds share their work.
   */
  public void round(int requests, int legs) {
    rounds.increment();
    roundRequests.add(requests);
    roundLegs.add(legs);
  }

  public long rounds() {
    return rounds.sum();
  }

  public long roundRequests() {
    return roundRequests.sum();
  }

  public long roundLegs() {
    return roundLegs.sum();
  }

  public void rejected(Reason reason) {
    rejected.get(reason).increment();
  }

  public long generated() {
    return generated.sum();
  }

  public long validatedValid() {
    return validatedValid.sum();
  }

  public long validatedInvalid() {
    return validatedInvalid.sum();
  }

  public long rejectedCount(Reason reason) {
    return rejected.get(reason).sum();
  }
}
