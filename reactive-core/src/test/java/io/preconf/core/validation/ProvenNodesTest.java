package io.preconf.core.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.merkle.MerkleTree;
import io.preconf.core.types.Hash32;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link ProvenNodes} judges every proof as {@link MerkleTree#verify} does, however many proofs of
 * the tree (or of trees sharing its nodes) it remembered before: each altered proof is checked
 * after the remembered levels are in place, where a shortcut would accept it.
 */
class ProvenNodesTest {
  private final Random random = new Random(19);

  private Hash32 randomHash() {
    byte[] b = new byte[Hash32.SIZE];
    random.nextBytes(b);
    return Hash32.wrap(b);
  }

  private List<Hash32> randomHashes(int n) {
    List<Hash32> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(randomHash());
    }
    return out;
  }

  private static Hash32 flipped(Hash32 h, int bit) {
    byte[] b = h.toArray();
    b[bit / 8 % Hash32.SIZE] ^= (byte) (1 << (bit % 8));
    return Hash32.wrap(b);
  }

  private static List<Hash32> with(List<Hash32> proof, int level, Hash32 h) {
    List<Hash32> out = new ArrayList<>(proof);
    out.set(level, h);
    return out;
  }

  /** Every leaf of trees of 1 to 40 leaves, in random order, each followed by its alterations. */
  @Test
  void acceptsEveryLeafAndRefusesEveryAlterationOnceItsLevelsAreRemembered() {
    for (int n = 1; n <= 40; n++) {
      ProvenNodes nodes = new ProvenNodes();
      List<Hash32> leaves = randomHashes(n);
      MerkleTree tree = MerkleTree.of(leaves);
      List<Hash32> order = new ArrayList<>(leaves);
      Collections.shuffle(order, random);
      for (Hash32 leaf : order) {
        List<Hash32> proof = tree.proof(leaf);
        assertThat(nodes.verify(tree.root(), leaf, proof, true)).as("leaf of %s", n).isTrue();
        assertJudgedAsTheFullCheck(nodes, tree, leaves, leaf, proof);
      }
      // Remembered a second time round: still accepted, and nothing else.
      for (Hash32 leaf : order) {
        assertThat(nodes.verify(tree.root(), leaf, tree.proof(leaf), true)).isTrue();
        assertJudgedAsTheFullCheck(nodes, tree, leaves, leaf, tree.proof(leaf));
      }
    }
  }

  private void assertJudgedAsTheFullCheck(
      ProvenNodes nodes, MerkleTree tree, List<Hash32> leaves, Hash32 leaf, List<Hash32> proof) {
    Hash32 root = tree.root();
    List<List<Hash32>> refused = new ArrayList<>();
    for (int level = 0; level < proof.size(); level++) {
      // One bit changed at each level, in a few places of the hash.
      for (int bit : new int[] {0, 7, 100, 255}) {
        refused.add(with(proof, level, flipped(proof.get(level), bit)));
      }
      // A sibling replaced by a node the memo knows: another leaf, the leaf itself, the root.
      Hash32 another = leaves.get(random.nextInt(leaves.size()));
      if (!another.equals(proof.get(level))) {
        refused.add(with(proof, level, another));
      }
      refused.add(with(proof, level, leaf));
      refused.add(with(proof, level, root));
      // Two levels in the other order.
      if (level + 1 < proof.size() && !proof.get(level).equals(proof.get(level + 1))) {
        List<Hash32> swapped = new ArrayList<>(proof);
        Collections.swap(swapped, level, level + 1);
        refused.add(swapped);
      }
    }
    if (!proof.isEmpty()) {
      refused.add(proof.subList(0, proof.size() - 1));
      refused.add(proof.subList(1, proof.size()));
    }
    List<Hash32> longer = new ArrayList<>(proof);
    longer.add(leaf);
    refused.add(longer);
    for (List<Hash32> altered : refused) {
      boolean full = MerkleTree.verify(root, leaf, altered);
      assertThat(nodes.verify(root, leaf, altered, true)).as("%s", altered).isEqualTo(full);
      assertThat(full).as("the full check of %s", altered).isFalse();
    }
    // The leaf changed, or another leaf with this proof.
    assertThat(nodes.verify(root, flipped(leaf, 3), proof, true)).isFalse();
    Hash32 other = leaves.get(random.nextInt(leaves.size()));
    assertThat(nodes.verify(root, other, proof, true))
        .isEqualTo(MerkleTree.verify(root, other, proof));
    // An inner node with the rest of the proof: the full check accepts it, and so does this one.
    MerkleTree.PairHasher hasher = new MerkleTree.PairHasher();
    Hash32 inner = leaf;
    for (int level = 0; level < proof.size(); level++) {
      inner = hasher.hash(inner, proof.get(level));
      List<Hash32> rest = proof.subList(level + 1, proof.size());
      assertThat(nodes.verify(root, inner, rest, true))
          .isEqualTo(MerkleTree.verify(root, inner, rest));
    }
  }

  /** Trees that share nodes, and proofs presented against the other tree's root. */
  @Test
  void aProofOfAnotherTreeIsRefusedAndSharedNodesServeBoth() {
    for (int n = 2; n <= 40; n += 3) {
      ProvenNodes nodes = new ProvenNodes();
      List<Hash32> a = randomHashes(n);
      List<Hash32> b = new ArrayList<>(a.subList(0, n / 2 + 1));
      b.addAll(randomHashes(n));
      MerkleTree treeA = MerkleTree.of(a);
      MerkleTree treeB = MerkleTree.of(b);
      for (Hash32 leaf : a) {
        assertThat(nodes.verify(treeA.root(), leaf, treeA.proof(leaf), true)).isTrue();
      }
      for (Hash32 leaf : b) {
        List<Hash32> proof = treeB.proof(leaf);
        assertThat(nodes.verify(treeA.root(), leaf, proof, true)).isFalse();
        assertThat(nodes.verify(treeB.root(), leaf, proof, true)).isTrue();
        assertJudgedAsTheFullCheck(nodes, treeB, b, leaf, proof);
      }
      for (Hash32 leaf : a) {
        List<Hash32> proof = treeA.proof(leaf);
        assertThat(nodes.verify(treeB.root(), leaf, proof, true))
            .isEqualTo(MerkleTree.verify(treeB.root(), leaf, proof))
            .isFalse();
        assertThat(nodes.verify(treeA.root(), leaf, proof, false)).isTrue();
      }
    }
  }

  /** Levels remembered on the way to one root never prove a leaf to another. */
  @Test
  void levelsRememberedForAnotherRootProveNothingHere() {
    ProvenNodes nodes = new ProvenNodes();
    List<Hash32> leaves = randomHashes(16);
    MerkleTree tree = MerkleTree.of(leaves);
    Hash32 leaf = leaves.get(0);
    List<Hash32> proof = tree.proof(leaf);
    List<Hash32> forged = with(proof, 0, randomHash());
    MerkleTree.PairHasher hasher = new MerkleTree.PairHasher();
    Hash32 forgedRoot = leaf;
    for (Hash32 sibling : forged) {
      forgedRoot = hasher.hash(forgedRoot, sibling);
    }
    assertThat(nodes.verify(tree.root(), leaf, forged, true)).isFalse();
    assertThat(nodes.verify(forgedRoot, leaf, forged, true)).isTrue();
    assertThat(nodes.verify(tree.root(), leaf, forged, true)).isFalse();
    assertThat(nodes.verify(tree.root(), leaf, proof, true)).isTrue();
  }
}
