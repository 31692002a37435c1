package io.preconf.core.commit;

import io.preconf.core.crypto.Keccak;
import io.preconf.core.types.Hash32;
import java.nio.charset.StandardCharsets;

/**
 * The EIP-712 digest the preconfer signs for one request (spec section 3): {@code
 * keccak256("\x19\x01" ++ domainSeparator ++ hashStruct(Commitment))} with the domain {@code {name:
 * "Preconfirmation", version: "1"}} (no chainId, no verifyingContract). See <a
 * href="https://eips.ethereum.org/EIPS/eip-712">EIP-712</a>.
 */
public final class CommitmentTypedData {
  public static final String DOMAIN_TYPE = "EIP712Domain(string name,string version)";
  public static final String COMMITMENT_TYPE =
      "Commitment(bytes32 root,uint64 issuedAt,uint64 expiresAt,bool atomic)";
  public static final String NAME = "Preconfirmation";
  public static final String VERSION = "1";

  public static final Hash32 COMMITMENT_TYPE_HASH = keccak(COMMITMENT_TYPE);
  public static final Hash32 DOMAIN_SEPARATOR = domainSeparator();

  private static final int STRUCT_SIZE = 5 * AbiWords.WORD;

  private CommitmentTypedData() {}

  public static Hash32 digest(Hash32 root, long issuedAt, long expiresAt, boolean atomic) {
    byte[] struct = new byte[STRUCT_SIZE];
    COMMITMENT_TYPE_HASH.copyTo(struct, 0);
    root.copyTo(struct, 32);
    AbiWords.putUint64(struct, 2 * 32, issuedAt);
    AbiWords.putUint64(struct, 3 * 32, expiresAt);
    AbiWords.putBool(struct, 4 * 32, atomic);

    byte[] message = new byte[2 + 2 * Hash32.SIZE];
    message[0] = 0x19;
    message[1] = 0x01;
    DOMAIN_SEPARATOR.copyTo(message, 2);
    System.arraycopy(Keccak.digest(struct, 0, struct.length), 0, message, 2 + Hash32.SIZE, 32);
    return Keccak.hash(message);
  }

  private static Hash32 domainSeparator() {
    // Strings enter encodeData as the keccak256 of their UTF-8 bytes.
    byte[] encoded = new byte[3 * AbiWords.WORD];
    keccak(DOMAIN_TYPE).copyTo(encoded, 0);
    keccak(NAME).copyTo(encoded, 32);
    keccak(VERSION).copyTo(encoded, 64);
    return Keccak.hash(encoded);
  }

  private static Hash32 keccak(String text) {
    return Keccak.hash(text.getBytes(StandardCharsets.UTF_8));
  }
}
