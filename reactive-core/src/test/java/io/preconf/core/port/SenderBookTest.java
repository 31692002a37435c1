package io.preconf.core.port;

import static io.preconf.core.testing.Samples.randomAddress;
import static io.preconf.core.testing.Samples.randomHash;
import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.error.Reason;
import io.preconf.core.error.Rejection;
import io.preconf.core.port.SenderBook.Held;
import io.preconf.core.testing.Samples;
import io.preconf.core.types.Address;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The rules alone, on books built by hand; the lane contract runs them inside claims. */
class SenderBookTest {
  private static final ChainId CHAIN = ChainId.of(167000);
  private static final long NOW = 1_000_000;
  private static final BigInteger COST = BigInteger.valueOf(100);
  private final Address sender = randomAddress();

  /**
   * A leg of {@link #sender} at {@code nonce}; the node holds it at 5 with {@code balance}. A book
   * judges by the node's reading it was built with.
   */
  private LaneClaim leg(long nonce, long balance) {
    return Samples.checked(
        CHAIN, randomHash(), sender, nonce, 5, BigInteger.valueOf(balance), COST, 60_000);
  }

  private static Held held(long nonce, long untilMs) {
    return new Held(nonce, randomHash(), nonce + 1, COST, untilMs);
  }

  private static SenderBook book(LaneClaim c, Held... stored) {
    return SenderBook.of(c.state(), List.of(stored), NOW);
  }

  @Test
  void theNextNonceIsTheFirstFromTheNodesThatNoOpenPromiseHolds() {
    LaneClaim c = leg(5, 1_000);

    assertThat(book(c).nextNonce()).isEqualTo(5);
    assertThat(book(c, held(5, NOW), held(6, NOW)).nextNonce()).isEqualTo(7);
    // 6 was voided: it is next again, and 8 waits behind it.
    assertThat(book(c, held(5, NOW), held(7, NOW)).nextNonce()).isEqualTo(6);
  }

  @Test
  void promisesTheNodesNonceHasPassedOrWhoseHoldLapsedCountForNothing() {
    LaneClaim c = leg(5, 100);

    SenderBook b = book(c, held(3, NOW + 1), held(4, NOW + 1), held(5, NOW - 1));

    assertThat(b.nextNonce()).isEqualTo(5);
    assertThat(b.judge(c)).isEmpty();
  }

  @Test
  void aLegIsJudgedAgainstWhatTheOpenPromisesAlreadyCost() {
    assertThat(book(leg(7, 300), held(5, NOW), held(6, NOW)).judge(leg(7, 300))).isEmpty();
    Optional<Rejection> r = book(leg(7, 299), held(5, NOW), held(6, NOW)).judge(leg(7, 299));
    assertThat(r).map(Rejection::reason).contains(Reason.INSUFFICIENT_BALANCE);
    assertThat(r.get().message())
        .contains("needs up to 300 wei (100 for tx ")
        .contains(", 200 for 2 promised and not yet included), above its balance of 299 wei");
  }

  @Test
  void legsHeldInOneRequestCountAsOpenPromises() {
    LaneClaim first = leg(5, 200);
    SenderBook b = book(first);
    b.hold(new Held(5, first.txHash(), 0, COST, Long.MAX_VALUE));

    assertThat(b.judge(leg(6, 200))).isEmpty();
    b.hold(new Held(6, randomHash(), 0, COST, Long.MAX_VALUE));
    assertThat(b.judge(leg(7, 200)).map(Rejection::reason)).contains(Reason.INSUFFICIENT_BALANCE);
  }

  @Test
  void aTransactionHoldingItsOwnNonceIsNotRefusedNorCountedTwice() {
    Hash32 tx = randomHash();
    LaneClaim again =
        Samples.checked(CHAIN, tx, sender, 5, 5, BigInteger.valueOf(200), COST, 60_000);
    SenderBook b = book(again, new Held(5, tx, 1, COST, NOW));

    assertThat(b.judge(again)).isEmpty();
    b.hold(new Held(5, tx, 0, COST, Long.MAX_VALUE));
    assertThat(b.nextNonce()).isEqualTo(6);
    assertThat(b.judge(leg(6, 200))).isEmpty();
  }

  @Test
  void theNonceRulesComeBeforeTheFeeAndTheBalance() {
    SenderBook b = book(leg(5, 0), held(5, NOW));

    assertThat(b.judge(leg(4, 0)).map(Rejection::reason)).contains(Reason.NONCE_TOO_LOW);
    assertThat(b.judge(leg(5, 0)).map(Rejection::reason)).contains(Reason.NONCE_CONFLICT);
    assertThat(b.judge(leg(7, 0)).map(Rejection::reason)).contains(Reason.NONCE_GAP);
    assertThat(b.judge(leg(6, 0)).map(Rejection::reason)).contains(Reason.INSUFFICIENT_BALANCE);
  }
}
