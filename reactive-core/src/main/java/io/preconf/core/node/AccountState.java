package io.preconf.core.node;

import io.preconf.core.types.Address;
import java.math.BigInteger;
import java.util.Objects;

/**
 * An account as a rollup node sees it.
 *
 * @param nonce the nonce the next transaction must carry by the node's newest block
 * @param pendingNonce the same, counting the transactions waiting in the node's pool; at least
 *     {@code nonce}
 * @param balanceWei the balance at the node's newest block
 */
public record AccountState(Address address, long nonce, long pendingNonce, BigInteger balanceWei) {
  public AccountState {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(balanceWei, "balanceWei");
  }
}
