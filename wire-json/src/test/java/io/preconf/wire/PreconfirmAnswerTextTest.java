package io.preconf.wire;

import static io.preconf.wire.WireSamples.ALPHA;
import static io.preconf.wire.WireSamples.NOW;
import static io.preconf.wire.WireSamples.address;
import static io.preconf.wire.WireSamples.hash;
import static io.preconf.wire.WireSamples.rejections;
import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.commit.Commitment;
import io.preconf.core.commit.Leaf;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.engine.IndexedRejection;
import io.preconf.core.engine.PreconfirmResult;
import io.preconf.core.error.ErrorCode;
import io.preconf.core.merkle.MerkleTree;
import io.preconf.core.types.Hash32;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The preconfirm answer written as text in one pass says byte for byte what its tree says, for the
 * shape that pass is for: a round's many preconfirmations under one commitment object.
 */
class PreconfirmAnswerTextTest {

  @Test
  void aHundredLegRoundReadsAsItsTree() {
    PreconfirmResult round =
        new PreconfirmResult(
            round(100, false), List.of(new IndexedRejection(100, rejections().get(0))), null);

    String text = FunctionResponses.preconfirmText(round);

    assertThat(text).isEqualTo(FunctionResponses.preconfirm(round).toString());
    assertThat(text).startsWith("{\"preconfirmations\":[{\"id\":\"");
    assertThat(
            Json.parse("answer", text, ErrorCode.INVALID_PRECONFIRMATION).get("preconfirmations"))
        .hasSize(100);
  }

  @Test
  void commitmentsEqualButNotTheSameObjectAreEachWrittenWhole() {
    List<Preconfirmation> first = round(3, true);
    List<Preconfirmation> second = new ArrayList<>();
    for (Preconfirmation p : round(3, true)) {
      Commitment c = p.commitment();
      // An equal copy, as a lookup of an earlier promise reads it back.
      Commitment copy =
          new Commitment(
              c.root(),
              c.issuedAt(),
              c.expiresAt(),
              c.atomic(),
              c.signer(),
              c.signature(),
              c.pqSignature());
      second.add(new Preconfirmation(p.id(), p.leaf(), p.proof(), copy));
    }
    List<Preconfirmation> all = new ArrayList<>(first);
    all.addAll(second);
    PreconfirmResult answer = new PreconfirmResult(all, List.of(), null);

    assertThat(FunctionResponses.preconfirmText(answer))
        .isEqualTo(FunctionResponses.preconfirm(answer).toString());
  }

  /** {@code n} legs under one commitment object, each with its proof, as a round issues them. */
  private static List<Preconfirmation> round(int n, boolean atomic) {
    List<Leaf> leaves = new ArrayList<>(n);
    List<Hash32> hashes = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Leaf leaf = new Leaf(ALPHA, hash(1000 + i), address(i), i, 10 + i, hash(999 + i), NOW, 5);
      leaves.add(leaf);
      hashes.add(leaf.hash());
    }
    MerkleTree tree = MerkleTree.of(hashes);
    Commitment c = WireSamples.commitment(tree.root(), atomic, true);
    List<Preconfirmation> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(new Preconfirmation(hashes.get(i), leaves.get(i), tree.proof(hashes.get(i)), c));
    }
    return out;
  }
}
