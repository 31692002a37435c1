package io.preconf.core.validation;

import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;

/**
 * A preconfer whose commitments validation accepts.
 *
 * @param pqPublicKey its ML-DSA-65 public key, or null when it does not co-sign
 */
public record TrustedSigner(Address address, Bytes pqPublicKey) {}
