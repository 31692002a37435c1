package io.preconf.core.merkle;

import static io.preconf.core.crypto.Vectors.hash;
import static io.preconf.core.crypto.Vectors.hashes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.preconf.core.crypto.Vectors;
import io.preconf.core.types.Hash32;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MerkleTreeTest {

  static List<JsonNode> trees() {
    return Vectors.list(Vectors.load("merkle.json").get("trees"));
  }

  private static List<Hash32> leafHashes(JsonNode tree) {
    return Vectors.list(tree.get("leaves")).stream().map(l -> hash(l.get("leafHash"))).toList();
  }

  @ParameterizedTest
  @MethodSource("trees")
  void rootEqualsOpenZeppelinRoot(JsonNode tree) {
    assertThat(MerkleTree.of(leafHashes(tree)).root()).isEqualTo(hash(tree.get("root")));
  }

  @ParameterizedTest
  @MethodSource("trees")
  void everyProofEqualsOpenZeppelinProof(JsonNode tree) {
    MerkleTree ours = MerkleTree.of(leafHashes(tree));

    for (JsonNode leaf : tree.get("leaves")) {
      assertThat(ours.proof(hash(leaf.get("leafHash"))))
          .as("proof of %s", leaf.get("leafHash").asText())
          .containsExactlyElementsOf(hashes(leaf.get("proof")));
    }
  }

  @ParameterizedTest
  @MethodSource("trees")
  void verifyAcceptsEveryOpenZeppelinProof(JsonNode tree) {
    Hash32 root = hash(tree.get("root"));

    for (JsonNode leaf : tree.get("leaves")) {
      assertThat(MerkleTree.verify(root, hash(leaf.get("leafHash")), hashes(leaf.get("proof"))))
          .isTrue();
    }
  }

  @ParameterizedTest
  @MethodSource("trees")
  void verifyRejectsAProofWithOneFlippedBit(JsonNode tree) {
    Hash32 root = hash(tree.get("root"));

    for (JsonNode leaf : tree.get("leaves")) {
      List<Hash32> proof = new ArrayList<>(hashes(leaf.get("proof")));
      Hash32 leafHash = hash(leaf.get("leafHash"));
      if (proof.isEmpty()) {
        assertThat(MerkleTree.verify(root, flipLastBit(leafHash), proof)).isFalse();
        continue;
      }
      int last = proof.size() - 1;
      proof.set(last, flipLastBit(proof.get(last)));
      assertThat(MerkleTree.verify(root, leafHash, proof)).isFalse();
    }
  }

  @Test
  void verifyRejectsAProofForAnotherLeaf() {
    JsonNode tree = trees().get(3);
    JsonNode a = tree.get("leaves").get(0);
    JsonNode b = tree.get("leaves").get(1);

    assertThat(
            MerkleTree.verify(
                hash(tree.get("root")), hash(a.get("leafHash")), hashes(b.get("proof"))))
        .isFalse();
  }

  @Test
  void rootDoesNotDependOnInputOrder() {
    JsonNode tree = trees().get(4);
    List<Hash32> shuffled = new ArrayList<>(leafHashes(tree));
    Collections.shuffle(shuffled, new Random(7));

    assertThat(MerkleTree.of(shuffled).root()).isEqualTo(hash(tree.get("root")));
  }

  @Test
  void singleLeafIsItsOwnRootWithAnEmptyProof() {
    Hash32 leaf = Hash32.fromHex("0x" + "ab".repeat(32));
    MerkleTree tree = MerkleTree.of(List.of(leaf));

    assertThat(tree.root()).isEqualTo(leaf);
    assertThat(tree.proof(leaf)).isEmpty();
    assertThat(MerkleTree.verify(leaf, leaf, List.of())).isTrue();
  }

  @Test
  void rejectsDuplicateLeaves() {
    Hash32 a = Hash32.fromHex("0x" + "01".repeat(32));
    Hash32 b = Hash32.fromHex("0x" + "02".repeat(32));

    assertThatThrownBy(() -> MerkleTree.of(List.of(a, b, a)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(a.toHex())
        .hasMessageContaining("more than once");
  }

  @Test
  void rejectsAnEmptyLeafList() {
    assertThatThrownBy(() -> MerkleTree.of(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one leaf");
  }

  @Test
  void proofOfAnAbsentLeafIsRefused() {
    MerkleTree tree = MerkleTree.of(leafHashes(trees().get(2)));
    Hash32 absent = Hash32.fromHex("0x" + "77".repeat(32));

    assertThatThrownBy(() -> tree.proof(absent))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(absent.toHex());
  }

  private static Hash32 flipLastBit(Hash32 h) {
    byte[] b = h.toArray();
    b[31] ^= 1;
    return Hash32.wrap(b);
  }
}
