package io.preconf.core.engine;

import io.preconf.core.crypto.DigestSigner;
import io.preconf.core.crypto.EcdsaSigner;
import io.preconf.core.crypto.MlDsaSigner;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import java.util.Objects;

/**
 * The preconfer's identity, with its keys where this process signs. A deployment whose functions
 * only validate or report holds the public identity alone, so the keys stay with the functions that
 * sign.
 *
 * @param ecdsa the secp256k1 key signing as {@code address}, or null in a verify-only process
 * @param pq the ML-DSA-65 key of {@code pqPublicKey}, or null when this process does not co-sign
 * @param pqPublicKey the ML-DSA-65 public key, or null when the preconfer does not co-sign
 */
public record Signers(DigestSigner ecdsa, DigestSigner pq, Address address, Bytes pqPublicKey) {

  public Signers {
    Objects.requireNonNull(address, "address");
  }

  public static Signers signing(EcdsaSigner ecdsa, MlDsaSigner pq) {
    return new Signers(ecdsa, pq, ecdsa.address(), pq == null ? null : pq.publicKey());
  }

  public static Signers verifyOnly(Address address, Bytes pqPublicKey) {
    return new Signers(null, null, address, pqPublicKey);
  }

  public boolean canSign() {
    return ecdsa != null;
  }
}
