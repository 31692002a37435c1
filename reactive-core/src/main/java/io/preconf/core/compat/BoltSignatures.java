package io.preconf.core.compat;

import io.preconf.core.crypto.DigestSigner;
import io.preconf.core.crypto.EcdsaSignatures;
import io.preconf.core.crypto.Keccak;
import io.preconf.core.crypto.Secp256k1Backend;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.Hash32;
import java.util.List;
import java.util.Optional;

/**
 * Bolt's inclusion commitment (<a
 * href="https://github.com/chainbound/bolt/blob/v0.4.0-alpha/bolt-sidecar/src/primitives/commitment.rs">bolt-sidecar
 * {@code primitives/commitment.rs}</a>): the user and the sidecar both sign, raw and without
 * EIP-191, {@code keccak256(txHash_1 || .. || txHash_n || u64_le(slot))}.
 */
public final class BoltSignatures {
  private BoltSignatures() {}

  /** The digest an inclusion request of {@code txHashes}, in order, for {@code slot} signs. */
  public static Hash32 digest(List<Hash32> txHashes, long slot) {
    byte[] data = new byte[txHashes.size() * Hash32.SIZE + Long.BYTES];
    for (int i = 0; i < txHashes.size(); i++) {
      txHashes.get(i).copyTo(data, i * Hash32.SIZE);
    }
    int at = txHashes.size() * Hash32.SIZE;
    for (int i = 0; i < Long.BYTES; i++) {
      data[at + i] = (byte) (slot >>> (8 * i));
    }
    return Keccak.hash(data);
  }

  /**
   * The commitment's signature as Bolt sends it: {@code r || s || v}, {@code v} the recovery id 0
   * or 1 (alloy's form), where the engine's own signatures carry 27 or 28.
   */
  public static Bytes sign(DigestSigner signer, Hash32 digest) {
    byte[] sig = signer.sign(digest).toArray();
    sig[64] = (byte) (sig[64] - 27);
    return Bytes.wrap(sig);
  }

  /**
   * Who signed {@code digest} with a 65-byte {@code r || s || v}, {@code v} as Bolt takes it: 0 or
   * 1, 27 or 28, or an EIP-155 {@code v >= 35}. Empty when the signature is not 65 bytes, {@code v}
   * is none of those, {@code r} or {@code s} is out of range or {@code s} is high (EIP-2), or no
   * key fits.
   */
  public static Optional<Address> recover(
      Hash32 digest, Bytes signature65, Secp256k1Backend backend) {
    if (signature65.size() != 65) {
      return Optional.empty();
    }
    int v = signature65.get(64) & 0xff;
    int recoveryId;
    if (v <= 1) {
      recoveryId = v;
    } else if (v == 27 || v == 28) {
      recoveryId = v - 27;
    } else if (v >= 35) {
      recoveryId = (v - 35) % 2;
    } else {
      return Optional.empty();
    }
    return EcdsaSignatures.recover(digest, signature65, recoveryId, backend);
  }
}
