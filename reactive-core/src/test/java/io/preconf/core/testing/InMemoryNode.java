package io.preconf.core.testing;

import io.preconf.core.error.RejectedException;
import io.preconf.core.error.Rejection;
import io.preconf.core.node.AccountState;
import io.preconf.core.node.ChainHead;
import io.preconf.core.node.NodeReply;
import io.preconf.core.node.Receipt;
import io.preconf.core.node.RollupNode;
import io.preconf.core.node.SendOutcome;
import io.preconf.core.node.SenderState;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.smallrye.mutiny.Uni;
import java.math.BigInteger;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A rollup node's accounts and head in memory, for the core's tests of the state checks: the test
 * sets nonces, balances and the head, and can make the node unreachable. Counts the readings it
 * answers.
 */
public final class InMemoryNode implements RollupNode {
  private final ChainId chain;
  private final Map<Address, SenderState> accounts = new ConcurrentHashMap<>();
  private final AtomicInteger headReads = new AtomicInteger();
  private final AtomicInteger senderReads = new AtomicInteger();
  private volatile ChainHead head;
  private volatile boolean down;

  public InMemoryNode(ChainId chain, long number, long timestampSeconds, BigInteger baseFee) {
    this.chain = chain;
    this.head = new ChainHead(number, Samples.randomHash(), timestampSeconds, baseFee);
  }

  public void account(Address address, long nonce, BigInteger balance) {
    accounts.put(address, new SenderState(address, head.number(), nonce, balance));
  }

  public void head(long number, long timestampSeconds, BigInteger baseFee) {
    head = new ChainHead(number, Samples.randomHash(), timestampSeconds, baseFee);
  }

  /** From now on every call fails as an unreachable node's do, naming it. */
  public void down(boolean isDown) {
    this.down = isDown;
  }

  public int headReads() {
    return headReads.get();
  }

  public int senderReads() {
    return senderReads.get();
  }

  private <T> Uni<T> answer(T value) {
    if (down) {
      return Uni.createFrom()
          .failure(
              new RejectedException(
                  Rejection.backendUnavailable(
                      "rollup node memory://" + chain + " of chain " + chain + ": unreachable")));
    }
    return Uni.createFrom().item(value);
  }

  @Override
  public Uni<ChainId> chainId() {
    return answer(chain);
  }

  @Override
  public Uni<AccountState> account(Address address) {
    SenderState s = state(address, head.number());
    return answer(new AccountState(address, s.nonce(), s.nonce(), s.balanceWei()));
  }

  @Override
  public Uni<ChainHead> head() {
    headReads.incrementAndGet();
    return answer(head);
  }

  @Override
  public Uni<SenderState> senderAt(Address address, long blockNumber) {
    senderReads.incrementAndGet();
    return answer(state(address, blockNumber));
  }

  private SenderState state(Address address, long blockNumber) {
    SenderState s = accounts.get(address);
    return s == null
        ? new SenderState(address, blockNumber, 0, BigInteger.ZERO)
        : new SenderState(address, blockNumber, s.nonce(), s.balanceWei());
  }

  @Override
  public Uni<SendOutcome> sendRawTransaction(Bytes signedTransaction) {
    throw new UnsupportedOperationException("the state checks never send");
  }

  @Override
  public Uni<Optional<Receipt>> receipt(Hash32 txHash) {
    return answer(Optional.empty());
  }

  /** Relays nothing: the engine's checks never read through it. */
  @Override
  public Uni<NodeReply> read(String method, String paramsJson) {
    return answer(new NodeReply.Error(-32601, "the in-memory node answers no " + method));
  }
}
