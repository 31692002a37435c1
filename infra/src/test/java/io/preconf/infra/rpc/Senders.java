package io.preconf.infra.rpc;

import io.preconf.core.crypto.EcdsaSigner;
import io.preconf.core.node.Receipt;
import io.preconf.core.node.RollupNode;
import io.preconf.core.tx.TransactionBuilder;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;

/**
 * Transactions for tests on a local node. Senders are fresh keys, funded through anvil's {@code
 * anvil_setBalance}, so that no test shares a nonce with another test, another run or a person
 * using the development accounts on the same node.
 */
public final class Senders {
  public static final BigInteger GWEI = BigInteger.valueOf(1_000_000_000L);
  public static final BigInteger ETHER = GWEI.multiply(GWEI);
  public static final Duration CALL = Duration.ofSeconds(10);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Address SINK = Address.fromHex("0x000000000000000000000000000000000000dead");

  private Senders() {}

  public static EcdsaSigner fresh() {
    return EcdsaSigner.random(RANDOM);
  }

  /** A fresh sender holding one ether on the node. */
  public static EcdsaSigner funded(JsonRpcClient rpc) {
    EcdsaSigner s = fresh();
    rpc.call(
            JsonRpcClient.Call.of(
                "anvil_setBalance", s.address().toHex(), "0x" + ETHER.toString(16)))
        .await()
        .atMost(CALL);
    return s;
  }

  /** A transfer of {@code wei} to a burn address with a max fee of 30 gwei and a 1 gwei tip. */
  public static Bytes transfer(ChainId chain, EcdsaSigner from, long nonce, long wei) {
    return transfer(chain, from, nonce, wei, GWEI.multiply(BigInteger.valueOf(30)), GWEI);
  }

  public static Bytes transfer(
      ChainId chain, EcdsaSigner from, long nonce, long wei, BigInteger maxFee, BigInteger tip) {
    return TransactionBuilder.on(chain)
        .nonce(nonce)
        .to(SINK)
        .value(BigInteger.valueOf(wei))
        .maxFeePerGas(maxFee)
        .maxPriorityFeePerGas(tip)
        .sign(from);
  }

  /** Waits for the node to mine {@code tx}: a few blocks at most. */
  public static Receipt awaitReceipt(RollupNode node, Hash32 tx) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 30_000;
    while (System.currentTimeMillis() < deadline) {
      Optional<Receipt> r = node.receipt(tx).await().atMost(CALL);
      if (r.isPresent()) {
        return r.get();
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the node did not mine " + tx + " within 30 s");
  }
}
