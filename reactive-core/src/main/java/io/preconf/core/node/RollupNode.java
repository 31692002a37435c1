package io.preconf.core.node;

import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.smallrye.mutiny.Uni;
import java.util.Optional;

/**
 * One rollup's node, as the engine asks it about accounts and blocks before it promises, and hands
 * it the transactions it promised.
 *
 * <p>Every call is bounded by the adapter's deadline. All calls but {@link #sendRawTransaction}
 * fail with a {@code RejectedException} carrying BACKEND_UNAVAILABLE, naming the node, when the
 * node does not answer in time, answers with an error or answers something unreadable. {@link
 * #sendRawTransaction} reports the same as {@link SendOutcome.Unreachable} instead: not knowing
 * whether the node took a transaction is an outcome its caller acts on, not a broken call.
 */
public interface RollupNode {

  /** The chain the node serves ({@code eth_chainId}). */
  Uni<ChainId> chainId();

  /** The account's nonces (at the newest block and counting the node's pool) and balance. */
  Uni<AccountState> account(Address address);

  /** The node's newest block: number, hash, time and the base fee its successor starts from. */
  Uni<ChainHead> head();

  /**
   * The account's nonce and balance, both at block {@code blockNumber} (one consistent reading,
   * however the chain moves meanwhile).
   */
  Uni<SenderState> senderAt(Address address, long blockNumber);

  /**
   * Hands a signed transaction to the node ({@code eth_sendRawTransaction}) and says what became of
   * it. Sending the same bytes again is safe: the node answers {@link SendOutcome.AlreadyKnown} or
   * {@link SendOutcome.AlreadyMined}. Never fails: a node that cannot be reached is {@link
   * SendOutcome.Unreachable}.
   */
  Uni<SendOutcome> sendRawTransaction(Bytes signedTransaction);

  /** The receipt of a transaction in the node's chain, or empty while it is not in a block. */
  Uni<Optional<Receipt>> receipt(Hash32 txHash);

  /**
   * A read the engine passes through without judging it ({@code eth_getBalance}, {@code eth_call},
   * fee history, ...): {@code method} with its params as a JSON array text, answered by the node's
   * result or error object. Fails with BACKEND_UNAVAILABLE like the calls above.
   */
  Uni<NodeReply> read(String method, String paramsJson);
}
