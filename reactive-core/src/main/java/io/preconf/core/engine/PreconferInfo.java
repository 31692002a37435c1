package io.preconf.core.engine;

import io.preconf.core.rollup.Rollups;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import java.util.Objects;

/**
 * Who this preconfer is and what it serves, as {@code info} tells callers.
 *
 * @param signer the address that signs every commitment
 * @param pqPublicKey the ML-DSA-65 key commitments are co-signed with, or null when they are not
 */
public record PreconferInfo(Address signer, Bytes pqPublicKey, Rollups rollups) {
  public PreconferInfo {
    Objects.requireNonNull(signer, "signer");
    Objects.requireNonNull(rollups, "rollups");
  }

  public static PreconferInfo of(EngineConfig config, Signers signers, Rollups rollups) {
    return new PreconferInfo(
        signers.address(), config.quantumSignatures() ? signers.pqPublicKey() : null, rollups);
  }
}
