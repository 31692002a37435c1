package io.preconf.core.merkle;

import io.preconf.core.types.Hash32;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.crypto.digests.KeccakDigest;

/**
 * A Merkle tree laid out exactly as OpenZeppelin's {@code StandardMerkleTree.of} lays it out (spec
 * section 3): leaf hashes sorted ascending, a complete binary tree in one array with the root at 0
 * and the children of {@code i} at {@code 2i+1} and {@code 2i+2}, the sorted leaves at the end in
 * reverse order, and inner nodes {@code keccak256(min(a,b) ++ max(a,b))}. Its proofs are accepted
 * by Solidity's {@code MerkleProof.verify}. See <a
 * href="https://github.com/OpenZeppelin/merkle-tree/blob/master/src/core.ts">merkle-tree
 * core.ts</a> and <a
 * href="https://github.com/OpenZeppelin/openzeppelin-contracts/blob/master/contracts/utils/cryptography/MerkleProof.sol">MerkleProof.sol</a>.
 */
public final class MerkleTree {
  private final Hash32[] nodes;
  private final Hash32[] sortedLeaves;

  private MerkleTree(Hash32[] nodes, Hash32[] sortedLeaves) {
    this.nodes = nodes;
    this.sortedLeaves = sortedLeaves;
  }

  /**
   * Builds the tree over {@code leafHashes}, in any order.
   *
   * @throws IllegalArgumentException when the list is empty or holds the same hash twice
   */
  public static MerkleTree of(List<Hash32> leafHashes) {
    if (leafHashes.isEmpty()) {
      throw new IllegalArgumentException("a Merkle tree needs at least one leaf");
    }
    Hash32[] sorted = leafHashes.toArray(new Hash32[0]);
    Arrays.sort(sorted);
    for (int i = 1; i < sorted.length; i++) {
      if (sorted[i].equals(sorted[i - 1])) {
        throw new IllegalArgumentException("leaf " + sorted[i] + " occurs more than once");
      }
    }

    Hash32[] nodes = new Hash32[2 * sorted.length - 1];
    for (int i = 0; i < sorted.length; i++) {
      nodes[nodes.length - 1 - i] = sorted[i];
    }
    PairHasher hasher = new PairHasher();
    for (int i = nodes.length - 1 - sorted.length; i >= 0; i--) {
      nodes[i] = hasher.hash(nodes[2 * i + 1], nodes[2 * i + 2]);
    }
    return new MerkleTree(nodes, sorted);
  }

  public Hash32 root() {
    return nodes[0];
  }

  public int leafCount() {
    return sortedLeaves.length;
  }

  /**
   * The sibling hashes from {@code leafHash} up to the root; empty for a single-leaf tree.
   *
   * @throws IllegalArgumentException when {@code leafHash} is not a leaf of this tree
   */
  public List<Hash32> proof(Hash32 leafHash) {
    int position = Arrays.binarySearch(sortedLeaves, leafHash);
    if (position < 0) {
      throw new IllegalArgumentException("leaf " + leafHash + " is not in the tree");
    }
    List<Hash32> proof = new ArrayList<>();
    for (int i = nodes.length - 1 - position; i > 0; i = (i - 1) / 2) {
      proof.add(nodes[(i & 1) == 1 ? i + 1 : i - 1]);
    }
    return List.copyOf(proof);
  }

  /**
   * True when folding {@code proof} into {@code leafHash} with the commutative pair hash gives
   * {@code root}: OpenZeppelin's {@code MerkleProof.processProof}.
   */
  public static boolean verify(Hash32 root, Hash32 leafHash, List<Hash32> proof) {
    PairHasher hasher = new PairHasher();
    Hash32 computed = leafHash;
    for (Hash32 sibling : proof) {
      computed = hasher.hash(computed, sibling);
    }
    return computed.equals(root);
  }

  /**
   * {@code keccak256(min(a,b) ++ max(a,b))}, the commutative pair hash of every level, reusing one
   * digest and buffer for a whole tree or proof. Not thread-safe.
   */
  public static final class PairHasher {
    private final KeccakDigest digest = new KeccakDigest(256);
    private final byte[] pair = new byte[2 * Hash32.SIZE];

    public Hash32 hash(Hash32 a, Hash32 b) {
      boolean aFirst = a.compareTo(b) <= 0;
      (aFirst ? a : b).copyTo(pair, 0);
      (aFirst ? b : a).copyTo(pair, Hash32.SIZE);
      digest.update(pair, 0, pair.length);
      byte[] out = new byte[Hash32.SIZE];
      digest.doFinal(out, 0);
      return Hash32.wrap(out);
    }
  }
}
