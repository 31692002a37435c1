package io.preconf.functions.tools;

import io.preconf.core.crypto.EcdsaSigner;
import io.preconf.core.tx.TransactionBuilder;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import java.io.PrintStream;
import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * A command-line tool (not part of any function): prints a signed EIP-1559 transfer from a fresh
 * random sender on the given chain, ready for {@code preconfirm}. Run through {@code bin/sample-tx
 * CHAIN_ID [NONCE]}. Its standard output is its product: the transaction hex alone, so that it can
 * be used in a shell substitution; the sender goes to standard error.
 */
public final class SampleTransaction {
  private SampleTransaction() {}

  public static void main(String[] args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    if (args.length < 1 || args.length > 2) {
      err.println("usage: bin/sample-tx CHAIN_ID [NONCE]   e.g. bin/sample-tx 167000");
      System.exit(2);
    }
    long chainId;
    long nonce;
    try {
      chainId = Long.parseLong(args[0]);
      nonce = args.length == 2 ? Long.parseLong(args[1]) : 0;
    } catch (NumberFormatException e) {
      err.println("CHAIN_ID and NONCE must be whole numbers, got: " + String.join(" ", args));
      System.exit(2);
      return;
    }
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    key[0] &= 0x7f;
    key[31] |= 1;
    EcdsaSigner sender = EcdsaSigner.fromPrivateKey(Bytes.wrap(key));
    Bytes tx =
        TransactionBuilder.on(ChainId.of(chainId))
            .nonce(nonce)
            .to(Address.fromHex("0x000000000000000000000000000000000000dead"))
            .value(BigInteger.valueOf(1_000_000_000_000L))
            .maxPriorityFeePerGas(BigInteger.valueOf(2_000_000_000L))
            .maxFeePerGas(BigInteger.valueOf(30_000_000_000L))
            .sign(sender);
    err.println(
        "sample transfer on chain " + chainId + " from " + sender.address() + ", nonce " + nonce);
    out.println(tx.toHex());
  }
}
