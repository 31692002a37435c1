package io.preconf.functions;

import io.preconf.core.crypto.EcdsaSigner;
import io.preconf.core.tx.TransactionBuilder;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * Signed transactions from fresh random senders: the servers keep their data between runs, so every
 * test uses transactions no earlier run has seen.
 */
final class Txs {
  static final ChainId ALPHA = ChainId.of(167000);
  static final ChainId BETA = ChainId.of(167001);
  private static final SecureRandom RANDOM = new SecureRandom();

  private Txs() {}

  static EcdsaSigner randomSender() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    key[0] &= 0x7f;
    key[31] |= 1;
    return EcdsaSigner.fromPrivateKey(Bytes.wrap(key));
  }

  static String transfer(ChainId chain, EcdsaSigner sender, long nonce) {
    return TransactionBuilder.on(chain)
        .nonce(nonce)
        .to(Address.fromHex("0x00000000000000000000000000000000000000aa"))
        .value(BigInteger.ONE)
        .sign(sender)
        .toHex();
  }

  static String transfer(ChainId chain) {
    return transfer(chain, randomSender(), 0);
  }
}
