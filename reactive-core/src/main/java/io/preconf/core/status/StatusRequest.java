package io.preconf.core.status;

import io.preconf.core.error.Result;
import io.preconf.core.types.Hash32;
import java.util.Objects;

/**
 * One status call.
 *
 * @param chainId the chain asked about, as sent
 * @param txHash the transaction asked about, or why the request's value could not be read as one;
 *     looked at only once the chain is known to be served, so that a caller on a wrong chain hears
 *     that first
 */
public record StatusRequest(long chainId, Result<Hash32> txHash) {
  public StatusRequest {
    Objects.requireNonNull(txHash, "txHash");
  }
}
