package io.preconf.core.port;

import static io.preconf.core.testing.Samples.preconfirmation;
import static io.preconf.core.testing.Samples.randomAddress;
import static io.preconf.core.testing.Samples.randomHash;
import static io.preconf.core.testing.Samples.uniqueChain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.RejectedException;
import io.preconf.core.testing.Samples;
import io.preconf.core.types.Address;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The rules of {@link PreconfirmationStore}, for every implementation: the in-memory one the core
 * tests with, and PostgreSQL's unique constraints behind the durable store in infra. One promise
 * per (chain, transaction), per (chain, lane position) and per (chain, sender, nonce), whatever the
 * lanes let through; a commitment's preconfirmations are recorded all together or not at all.
 */
public abstract class PreconfirmationStoreContract {
  private static final Duration WAIT = Duration.ofSeconds(60);

  /** The store under test. */
  protected abstract PreconfirmationStore store();

  @Test
  void aRecordedPreconfirmationIsFoundByItsTransaction() {
    Preconfirmation p = promise(uniqueChain(), randomHash(), 1, randomAddress(), 0);

    record(p);

    assertThat(find(p.chainId(), p.txHash())).contains(p);
  }

  @Test
  void anUnknownTransactionIsNotFound() {
    assertThat(find(uniqueChain(), randomHash())).isEmpty();
  }

  @Test
  void recordingTheSamePreconfirmationsAgainChangesNothing() {
    Preconfirmation p = promise(uniqueChain(), randomHash(), 1, randomAddress(), 0);
    record(p);

    record(p);

    assertThat(find(p.chainId(), p.txHash())).contains(p);
  }

  @Test
  void aSecondPromiseForTheSameTransactionIsRefused() {
    ChainId chain = uniqueChain();
    Hash32 tx = randomHash();
    Preconfirmation first = promise(chain, tx, 1, randomAddress(), 0);
    record(first);

    RejectedException e = refusal(promise(chain, tx, 2, randomAddress(), 0));

    assertThat(e.rejection().code()).isEqualTo(ErrorCode.STORAGE_FAILED);
    assertThat(e.rejection().reason()).isEqualTo(Reason.INTERNAL_ERROR);
    assertThat(find(chain, tx)).contains(first);
  }

  /**
   * The lanes never hand a position out twice: a second promise there is the engine's own fault.
   */
  @Test
  void aSecondPromiseForTheSameLanePositionIsRefused() {
    ChainId chain = uniqueChain();
    record(promise(chain, randomHash(), 1, randomAddress(), 0));
    Preconfirmation second = promise(chain, randomHash(), 1, randomAddress(), 0);

    RejectedException e = refusal(second);

    assertThat(e.rejection().code()).isEqualTo(ErrorCode.STORAGE_FAILED);
    assertThat(e.rejection().reason()).isEqualTo(Reason.INTERNAL_ERROR);
    assertThat(find(chain, second.txHash())).isEmpty();
  }

  @Test
  void aSecondPromiseForTheSameSenderAndNonceIsRefusedWithNonceConflict() {
    ChainId chain = uniqueChain();
    Address sender = randomAddress();
    record(promise(chain, randomHash(), 1, sender, 4));
    Preconfirmation second = promise(chain, randomHash(), 2, sender, 4);

    RejectedException e = refusal(second);

    assertThat(e.rejection().code()).isEqualTo(ErrorCode.INVALID_TRANSACTION);
    assertThat(e.rejection().reason()).isEqualTo(Reason.NONCE_CONFLICT);
    assertThat(find(chain, second.txHash())).isEmpty();
  }

  @Test
  void aCommitmentIsRecordedWholeOrNotAtAll() {
    ChainId chain = uniqueChain();
    Preconfirmation recorded = promise(chain, randomHash(), 1, randomAddress(), 0);
    record(recorded);
    Preconfirmation fine = promise(chain, randomHash(), 2, randomAddress(), 0);
    Preconfirmation clash = promise(chain, recorded.txHash(), 3, randomAddress(), 0);

    refusal(fine, clash);

    assertThat(find(chain, fine.txHash())).isEmpty();
  }

  @Test
  void aCommitmentPromisingOneNonceTwiceIsRefusedWhole() {
    ChainId chain = uniqueChain();
    Address sender = randomAddress();
    Preconfirmation first = promise(chain, randomHash(), 1, sender, 6);
    Preconfirmation second = promise(chain, randomHash(), 2, sender, 6);

    assertThat(refusal(first, second).rejection().reason()).isEqualTo(Reason.NONCE_CONFLICT);

    assertThat(find(chain, first.txHash())).isEmpty();
    assertThat(find(chain, second.txHash())).isEmpty();
  }

  @Test
  void theSameTransactionPositionAndNonceOnAnotherChainIsAnotherPromise() {
    Hash32 tx = randomHash();
    Address sender = randomAddress();
    Preconfirmation one = promise(uniqueChain(), tx, 1, sender, 0);
    Preconfirmation two = promise(uniqueChain(), tx, 1, sender, 0);

    record(one);
    record(two);

    assertThat(find(one.chainId(), tx)).contains(one);
    assertThat(find(two.chainId(), tx)).contains(two);
  }

  /** A single-leaf preconfirmation for {@code tx} at {@code sequence}, with no lane behind it. */
  protected static Preconfirmation promise(
      ChainId chain, Hash32 tx, long sequence, Address sender, long nonce) {
    LanePosition at =
        new LanePosition(chain, tx, sequence, randomHash(), System.currentTimeMillis());
    return preconfirmation(at, sender, nonce);
  }

  protected final void record(Preconfirmation p) {
    store().record(Samples.kept(List.of(p))).await().atMost(WAIT);
  }

  private Optional<Preconfirmation> find(ChainId chain, Hash32 tx) {
    return store().find(chain, tx).await().atMost(WAIT);
  }

  /** Records {@code issued} as one commitment, expecting the store to refuse it. */
  protected final RejectedException refusal(Preconfirmation... issued) {
    RejectedException e =
        catchThrowableOfType(
            RejectedException.class,
            () -> store().record(Samples.kept(List.of(issued))).await().atMost(WAIT));
    assertThat(e).as("the store's refusal").isNotNull();
    return e;
  }
}
