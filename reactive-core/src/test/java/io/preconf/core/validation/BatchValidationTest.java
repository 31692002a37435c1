package io.preconf.core.validation;

import static io.preconf.core.testing.EngineFixture.ALPHA;
import static io.preconf.core.testing.EngineFixture.BETA;
import static io.preconf.core.testing.EngineFixture.await;
import static io.preconf.core.testing.EngineFixture.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.engine.EngineConfig;
import io.preconf.core.engine.PreconfirmRequest;
import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.Rejection;
import io.preconf.core.error.Result;
import io.preconf.core.testing.EngineFixture;
import io.preconf.core.types.Bytes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Many preconfirmations validated at once answer each as it is answered alone, in order. */
class BatchValidationTest {

  private static List<Preconfirmation> issue(EngineFixture f, boolean atomic, String... txs) {
    return await(f.engine.preconfirm(new PreconfirmRequest(List.of(txs), atomic, null)))
        .preconfirmations();
  }

  private static Result<Validation.Asked> asked(Preconfirmation p) {
    return Result.ok(new Validation.Asked(p, null));
  }

  @Test
  void answersEachAsItIsAnsweredAloneInTheOrderAskedWithOneHopPerCoreAtMost() {
    AtomicInteger hops = new AtomicInteger();
    Executor counted =
        task -> {
          hops.incrementAndGet();
          task.run();
        };
    EngineFixture batch = new EngineFixture(EngineConfig.defaults(), counted);
    List<Preconfirmation> round =
        issue(batch, false, transfer(ALPHA, 1, 0), transfer(ALPHA, 2, 0), transfer(BETA, 3, 0));
    List<Preconfirmation> others = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      others.add(issue(batch, true, transfer(BETA, 10 + i, 0)).get(0));
    }
    String tx = transfer(ALPHA, 1, 0);
    Rejection unreadable =
        Rejection.of(ErrorCode.INVALID_PRECONFIRMATION, Reason.MALFORMED_HEX, "sender 0x12");

    List<Result<Validation.Asked>> asked = new ArrayList<>();
    asked.add(asked(round.get(0)));
    asked.add(asked(PreconfirmationValidationTest.sequenceMoved(round.get(1))));
    asked.add(Result.err(unreadable));
    asked.add(Result.ok(new Validation.Asked(round.get(0), Bytes.fromHex("raw", tx))));
    asked.add(asked(round.get(2)));
    others.forEach(p -> asked.add(asked(p)));
    asked.add(asked(PreconfirmationValidationTest.sequenceMoved(others.get(0))));

    int before = hops.get();
    List<ValidationReport> reports = await(batch.validation.validateAll(asked));
    int batchHops = hops.get() - before;

    // A process of its own, validating each alone.
    EngineFixture alone = new EngineFixture();
    assertThat(reports).hasSize(asked.size());
    for (int i = 0; i < asked.size(); i++) {
      ValidationReport expected =
          await(
              asked
                  .get(i)
                  .fold(
                      a -> alone.validation.validate(a.preconfirmation(), a.rawTransaction()),
                      alone.validation::refuse));
      assertThat(reports.get(i)).as("preconfirmation %d", i).isEqualTo(expected);
    }
    assertThat(reports.get(0).valid()).isTrue();
    assertThat(reports.get(1).errors()).extracting(Rejection::reason).contains(Reason.ID_MISMATCH);
    assertThat(reports.get(2).errors()).containsExactly(unreadable);
    assertThat(reports.get(3).valid()).isTrue();
    assertThat(batchHops)
        .as("one hop to the CPU executor per slice, one slice per core at most")
        .isBetween(1, Runtime.getRuntime().availableProcessors());
    assertThat(batch.counters.validatedValid()).isEqualTo(alone.counters.validatedValid());
    assertThat(batch.counters.validatedInvalid()).isEqualTo(alone.counters.validatedInvalid());
  }

  @Test
  void leavesOfVerifiedCommitmentsAreCheckedWhereAskedWithoutAHop() {
    AtomicInteger hops = new AtomicInteger();
    EngineFixture f =
        new EngineFixture(
            EngineConfig.defaults(),
            task -> {
              hops.incrementAndGet();
              task.run();
            });
    List<Preconfirmation> round = issue(f, false, transfer(ALPHA, 1, 0), transfer(ALPHA, 2, 0));
    assertThat(await(f.validation.validate(round.get(0), null)).valid()).isTrue();

    int before = hops.get();
    List<ValidationReport> reports =
        await(f.validation.validateAll(List.of(asked(round.get(1)), asked(round.get(0)))));
    assertThat(reports).allMatch(ValidationReport::valid);
    assertThat(hops.get()).isEqualTo(before);
    assertThat(await(f.validation.validateAll(List.of()))).isEmpty();
  }

  @Test
  void whatIsNotCheckedByTheDeadlineIsAnsweredTimeoutAndTheRestAsChecked() {
    List<Runnable> parked = new ArrayList<>();
    AtomicBoolean stalled = new AtomicBoolean();
    EngineFixture f =
        new EngineFixture(
            EngineConfig.defaults().withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(200)),
            task -> {
              if (stalled.get()) {
                parked.add(task);
              } else {
                task.run();
              }
            });
    List<Preconfirmation> verified = issue(f, false, transfer(ALPHA, 1, 0), transfer(ALPHA, 2, 0));
    List<Preconfirmation> cold = issue(f, true, transfer(BETA, 3, 0));
    assertThat(await(f.validation.validate(verified.get(0), null)).valid()).isTrue();

    stalled.set(true);
    assertThat(await(f.validation.validateAll(List.of(asked(cold.get(0)), asked(verified.get(1))))))
        .satisfiesExactly(
            late ->
                assertThat(late.errors())
                    .singleElement()
                    .satisfies(
                        e -> {
                          assertThat(e.reason()).isEqualTo(Reason.TIMEOUT);
                          assertThat(e.message()).contains("200 ms");
                        }),
            checked -> assertThat(checked.valid()).isTrue());
    assertThat(parked).hasSize(1);
  }
}
