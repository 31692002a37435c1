package io.preconf.core.commit;

import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.Hash32;

/**
 * The signed EIP-712 {@code Commitment} over the Merkle root of one request's leaves (spec section
 * 3).
 *
 * @param pqSignature the ML-DSA-65 co-signature over the same digest, or null when post-quantum
 *     signing is off
 */
public record Commitment(
    Hash32 root,
    long issuedAt,
    long expiresAt,
    boolean atomic,
    Address signer,
    Bytes signature,
    Bytes pqSignature) {

  public boolean hasPqSignature() {
    return pqSignature != null;
  }
}
