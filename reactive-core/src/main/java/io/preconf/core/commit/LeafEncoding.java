package io.preconf.core.commit;

import io.preconf.core.crypto.Keccak;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.Hash32;

/**
 * The leaf of OpenZeppelin's {@code StandardMerkleTree} with the encoding {@code
 * ["uint64","bytes32","address","uint64","uint64","bytes32","uint64","uint64"]}: {@code
 * keccak256(keccak256(abi.encode(values)))}. Hashing twice keeps a leaf from being read as an inner
 * node (a second-preimage guard). See <a
 * href="https://github.com/OpenZeppelin/merkle-tree#standard-merkle-trees">OpenZeppelin
 * merkle-tree: standard Merkle trees</a> and spec section 2.
 */
public final class LeafEncoding {
  /** Eight static ABI words. */
  public static final int ENCODED_SIZE = 8 * AbiWords.WORD;

  private LeafEncoding() {}

  /**
   * {@code abi.encode(chainId, txHash, sender, nonce, sequence, previous, receivedAt, targetSlot)}.
   */
  public static Bytes abiEncode(Leaf leaf) {
    return Bytes.wrap(encode(leaf));
  }

  public static Hash32 leafHash(Leaf leaf) {
    byte[] encoded = encode(leaf);
    byte[] once = Keccak.digest(encoded, 0, encoded.length);
    return Keccak.hash(once);
  }

  private static byte[] encode(Leaf leaf) {
    byte[] out = new byte[ENCODED_SIZE];
    AbiWords.putUint64(out, 0, leaf.chainId().value());
    leaf.txHash().copyTo(out, 32);
    leaf.sender().copyTo(out, 2 * 32 + (AbiWords.WORD - Address.SIZE));
    AbiWords.putUint64(out, 3 * 32, leaf.nonce());
    AbiWords.putUint64(out, 4 * 32, leaf.sequence());
    leaf.previous().copyTo(out, 5 * 32);
    AbiWords.putUint64(out, 6 * 32, leaf.receivedAt());
    AbiWords.putUint64(out, 7 * 32, leaf.targetSlot());
    return out;
  }
}
