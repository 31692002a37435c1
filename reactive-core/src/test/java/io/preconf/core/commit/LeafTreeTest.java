package io.preconf.core.commit;

import static io.preconf.core.crypto.Vectors.hash;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.preconf.core.crypto.Vectors;
import io.preconf.core.merkle.MerkleTree;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** From leaf fields to root, as the engine commits to a request. */
class LeafTreeTest {

  static List<JsonNode> trees() {
    return Vectors.list(Vectors.load("merkle.json").get("trees"));
  }

  @ParameterizedTest
  @MethodSource("trees")
  void treeOfLeafFieldsHasOpenZeppelinRoot(JsonNode tree) {
    List<Leaf> leaves = Vectors.list(tree.get("leaves")).stream().map(LeafTest::leafOf).toList();

    MerkleTree ours = MerkleTree.of(leaves.stream().map(Leaf::hash).toList());

    assertThat(ours.root()).isEqualTo(hash(tree.get("root")));
  }
}
