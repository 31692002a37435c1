package io.preconf.core.validation;

import io.preconf.core.merkle.MerkleTree;
import io.preconf.core.types.Hash32;
import java.util.List;

/**
 * Merkle nodes on proofs that led to the root of a verified commitment, each with its sibling and
 * their parent, so that checking another leaf of that tree hashes only the levels below where its
 * path meets one checked before: the leaves of a round share their upper levels.
 *
 * <p>An entry is a pair hash remembered, {@code node -> (sibling, parent)} with {@code parent =
 * keccak256(min ++ max)} of the two, and it stands in for hashing only when the proof's sibling at
 * that level is the remembered one. So a proof walks through exactly the nodes that hashing every
 * level reaches and is judged as {@link MerkleTree#verify} judges it: a changed hash at any level,
 * levels in another order, a proof too short or too long or of another tree end where hashing
 * would, not at the root. Entries come only from proofs that reached a verified root (a forged
 * proof adds none), both ways round (a leaf that was a sibling on a path checked before hits at
 * once), for all verified commitments together, bounded with {@link TwoGenerations} rather than per
 * commitment: validation remembers 100,000 commitments by default, and most have one leaf.
 */
final class ProvenNodes {
  /** Entries kept, at most: some 250 bytes each (the entry and the two hashes it holds). */
  static final int CAPACITY = 1 << 15;

  private record Step(Hash32 sibling, Hash32 parent) {}

  private final TwoGenerations<Hash32, Step> steps = new TwoGenerations<>(CAPACITY);

  /**
   * {@link MerkleTree#verify}'s verdict on {@code proof} from {@code leafHash} to {@code root};
   * when it holds and {@code remember}, every level hashed on the way is remembered ({@code root}
   * must then be a verified commitment's).
   */
  boolean verify(Hash32 root, Hash32 leafHash, List<Hash32> proof, boolean remember) {
    int levels = proof.size();
    Hash32[] parents = remember ? new Hash32[levels] : null;
    boolean[] hashed = remember ? new boolean[levels] : null;
    boolean anyHashed = false;
    MerkleTree.PairHasher hasher = null;
    Hash32 computed = leafHash;
    for (int i = 0; i < levels; i++) {
      Hash32 sibling = proof.get(i);
      Step known = steps.get(computed);
      if (known != null && known.sibling().equals(sibling)) {
        computed = known.parent();
      } else {
        if (hasher == null) {
          hasher = new MerkleTree.PairHasher();
        }
        computed = hasher.hash(computed, sibling);
        anyHashed = true;
        if (remember) {
          hashed[i] = true;
        }
      }
      if (remember) {
        parents[i] = computed;
      }
    }
    boolean reached = computed.equals(root);
    if (reached && remember && anyHashed) {
      Hash32 node = leafHash;
      for (int i = 0; i < levels; i++) {
        if (hashed[i]) {
          Hash32 sibling = proof.get(i);
          steps.put(node, new Step(sibling, parents[i]));
          steps.put(sibling, new Step(node, parents[i]));
        }
        node = parents[i];
      }
    }
    return reached;
  }
}
