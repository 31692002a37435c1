package io.preconf.core.commit;

import io.preconf.core.types.Bytes;
import java.util.Objects;

/**
 * A preconfirmation with the signed transaction it promises, as recorded and as handed to the
 * rollup's node: the bytes are kept beside the promise, never inside its wire form.
 *
 * @param signedTransaction the transaction exactly as submitted ({@code eth_sendRawTransaction}'s
 *     input); its keccak-256 is the preconfirmation's txHash, which the engine guarantees by taking
 *     both from the same decoded transaction
 */
public record PromisedTransaction(Preconfirmation preconfirmation, Bytes signedTransaction) {
  public PromisedTransaction {
    Objects.requireNonNull(preconfirmation, "preconfirmation");
    Objects.requireNonNull(signedTransaction, "signedTransaction");
  }

  public long sequence() {
    return preconfirmation.sequence();
  }
}
