package io.preconf.core.status;

import static io.preconf.core.testing.EngineFixture.ALPHA;
import static io.preconf.core.testing.EngineFixture.await;
import static io.preconf.core.testing.EngineFixture.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.commit.Status;
import io.preconf.core.commit.TrackedPreconfirmation;
import io.preconf.core.engine.PreconfirmRequest;
import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.RejectedException;
import io.preconf.core.error.Rejection;
import io.preconf.core.error.Result;
import io.preconf.core.finality.RecordedViolation;
import io.preconf.core.finality.ViolationKind;
import io.preconf.core.port.PromiseSnapshot;
import io.preconf.core.port.StatusQuery;
import io.preconf.core.testing.EngineFixture;
import io.preconf.core.types.Address;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class StatusLookupTest {
  private final EngineFixture f = new EngineFixture();
  private final Map<Hash32, TrackedPreconfirmation> promises = new HashMap<>();
  private final Map<Hash32, Long> voided = new HashMap<>();
  private final Map<Hash32, List<RecordedViolation>> violations = new HashMap<>();
  private RuntimeException failure;

  private final StatusQuery statuses =
      new StatusQuery() {
        @Override
        public Uni<Optional<PromiseSnapshot>> find(ChainId chainId, Hash32 txHash) {
          return failure != null
              ? Uni.createFrom().failure(failure)
              : Uni.createFrom()
                  .item(
                      Optional.ofNullable(promises.get(txHash))
                          .map(
                              p ->
                                  new PromiseSnapshot(
                                      p, violations.getOrDefault(txHash, List.of()))));
        }

        @Override
        public Uni<OptionalLong> voidedSequence(ChainId chainId, Hash32 txHash) {
          Long sequence = voided.get(txHash);
          return Uni.createFrom()
              .item(sequence == null ? OptionalLong.empty() : OptionalLong.of(sequence));
        }

        @Override
        public Uni<OptionalLong> highestPromisedNonce(ChainId chainId, Address sender) {
          return Uni.createFrom().item(OptionalLong.empty());
        }
      };
  private final StatusLookup lookup = new StatusLookup(EngineFixture.rollups(), statuses, f.clock);

  private PromiseStatus status(long chainId, Result<Hash32> txHash) {
    return await(lookup.status(new StatusRequest(chainId, txHash)));
  }

  private static Rejection why(PromiseStatus status) {
    assertThat(status).isInstanceOf(PromiseStatus.NotFound.class);
    return ((PromiseStatus.NotFound) status).why();
  }

  private Preconfirmation issue() {
    return await(
            f.engine.preconfirm(new PreconfirmRequest(List.of(transfer(ALPHA, 1, 0)), false, null)))
        .preconfirmations()
        .get(0);
  }

  @Test
  void anUnservedChainIsWhatACallerHearsFirst() {
    Rejection unreadable = Rejection.of(ErrorCode.VALIDATION_FAILED, Reason.MISSING_FIELD, "no");

    Rejection why = why(status(1, Result.err(unreadable)));

    assertThat(why.reason()).isEqualTo(Reason.UNSUPPORTED_CHAIN);
    assertThat(why.message())
        .isEqualTo("chain id 1 is not served by this engine; served chain ids: [167000, 167001]");
    assertThat(why(status(0, Result.err(unreadable))).reason()).isEqualTo(Reason.OUT_OF_RANGE);
    assertThat(why(status(ALPHA.value(), Result.err(unreadable)))).isEqualTo(unreadable);
  }

  @Test
  void aPromiseIsShownWithItsStatusNowAndItsViolations() {
    Preconfirmation p = issue();
    promises.put(p.txHash(), new TrackedPreconfirmation(p, Status.PRECONFIRMED, null));
    RecordedViolation violation =
        new RecordedViolation(
            p.id(),
            ViolationKind.NOT_INCLUDED_BY_TARGET_SLOT,
            Hash32.ZERO,
            "missed its slot",
            "{}",
            5,
            false);
    violations.put(p.txHash(), List.of(violation));

    PromiseStatus before = status(ALPHA.value(), Result.ok(p.txHash()));
    f.clock.advance(p.commitment().expiresAt() - f.clock.nowMillis() + 1);
    PromiseStatus after = status(ALPHA.value(), Result.ok(p.txHash()));

    assertThat(before)
        .isEqualTo(
            new PromiseStatus.Found(
                promises.get(p.txHash()), Status.PRECONFIRMED, List.of(violation)));
    assertThat(((PromiseStatus.Found) after).status()).isEqualTo(Status.EXPIRED);
  }

  @Test
  void noPromiseNamesTheTransactionAndTheLaneSequenceVoidedForIt() {
    Hash32 tx = Hash32.fromHex("0x" + "ab".repeat(32));
    Hash32 other = Hash32.fromHex("0x" + "cd".repeat(32));
    voided.put(tx, 7L);

    PromiseStatus.NotFound held = (PromiseStatus.NotFound) status(ALPHA.value(), Result.ok(tx));
    PromiseStatus.NotFound none = (PromiseStatus.NotFound) status(ALPHA.value(), Result.ok(other));

    assertThat(held.voidedSequence()).hasValue(7);
    assertThat(held.why().reason()).isEqualTo(Reason.NOT_FOUND);
    assertThat(held.why().message())
        .startsWith("transaction " + tx + " on chain 167000 holds no preconfirmation")
        .contains("lane sequence 7 was reserved for it and voided");
    assertThat(none.voidedSequence()).isEmpty();
    assertThat(none.why().message())
        .isEqualTo("no preconfirmation is held for transaction " + other + " on chain 167000");
  }

  @Test
  void aBackendThatFailsAnswersWithItsRejectionAndABugFails() {
    Rejection down = Rejection.backendUnavailable("PostgreSQL at 127.0.0.1 is down");
    failure = new RejectedException(down);

    assertThat(why(status(ALPHA.value(), Result.ok(Hash32.ZERO)))).isEqualTo(down);

    failure = new IllegalStateException("a bug");
    lookup
        .status(new StatusRequest(ALPHA.value(), Result.ok(Hash32.ZERO)))
        .subscribe()
        .withSubscriber(UniAssertSubscriber.create())
        .awaitFailure()
        .assertFailedWith(IllegalStateException.class, "a bug");
  }
}
