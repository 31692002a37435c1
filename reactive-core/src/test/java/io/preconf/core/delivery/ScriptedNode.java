package io.preconf.core.delivery;

import io.preconf.core.crypto.Keccak;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A node for the forwarder's tests: it keeps what it was sent, in order, answers "already known"
 * for bytes it holds, and can be down or refuse chosen transactions.
 */
final class ScriptedNode implements RollupNode {
  private final List<Bytes> sent = new ArrayList<>();
  private final Set<Bytes> pool = new LinkedHashSet<>();
  private final Map<Bytes, String> refusals = new HashMap<>();
  private boolean down;

  void down(boolean down) {
    this.down = down;
  }

  void refuse(Bytes tx, String message) {
    refusals.put(tx, message);
  }

  /** Every send, repeats included, in the order they came. */
  List<Bytes> sent() {
    return List.copyOf(sent);
  }

  /** What the node holds, each once, in the order it first took them. */
  List<Bytes> pool() {
    return List.copyOf(pool);
  }

  @Override
  public Uni<SendOutcome> sendRawTransaction(Bytes tx) {
    Hash32 hash = Keccak.hash(tx.unsafeArray());
    sent.add(tx);
    Function<Hash32, SendOutcome> answer;
    if (down) {
      answer = h -> new SendOutcome.Unreachable(h, "rollup node of chain 1: connection refused");
    } else if (refusals.containsKey(tx)) {
      answer = h -> new SendOutcome.Refused(h, SendOutcome.Refusal.NONCE_TOO_LOW, refusals.get(tx));
    } else if (!pool.add(tx)) {
      answer = SendOutcome.AlreadyKnown::new;
    } else {
      answer = SendOutcome.Accepted::new;
    }
    return Uni.createFrom().item(answer.apply(hash));
  }

  @Override
  public Uni<ChainId> chainId() {
    throw new UnsupportedOperationException();
  }

  @Override
  public Uni<AccountState> account(Address address) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Uni<SenderState> senderAt(Address address, long blockNumber) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Uni<ChainHead> head() {
    throw new UnsupportedOperationException();
  }

  @Override
  public Uni<Optional<Receipt>> receipt(Hash32 txHash) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Uni<NodeReply> read(String method, String paramsJson) {
    throw new UnsupportedOperationException();
  }
}
