package io.preconf.core.node;

import io.preconf.core.types.Address;
import java.math.BigInteger;
import java.util.Objects;

/**
 * An account as a rollup node's chain holds it at one block: what the engine checks a sender's
 * promises against.
 *
 * @param blockNumber the block both values were read at
 * @param nonce the nonce the sender's next transaction must carry after that block
 * @param balanceWei the balance after that block
 */
public record SenderState(Address address, long blockNumber, long nonce, BigInteger balanceWei) {
  public SenderState {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(balanceWei, "balanceWei");
  }
}
