package io.preconf.core.finality;

import io.preconf.core.commit.Commitment;
import io.preconf.core.commit.CommitmentTypedData;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.crypto.EcdsaSignatures;
import io.preconf.core.merkle.MerkleTree;
import io.preconf.core.types.Address;
import io.preconf.core.types.Hash32;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a violation's evidence from its own bytes, as a third party (or a slashing contract, see
 * docs/slashing.md) would: each preconfirmation's id is its leaf hash, its proof leads to the
 * signed root, the EIP-712 signature recovers a trusted signer, each inclusion names a carried
 * block whose transaction at that index is the promised one, and the block facts show the breach.
 * What it cannot check offline is that the blocks are the rollup's canonical ones: a checker
 * compares their hashes with the chain (an RPC node, or a block-hash oracle on chain).
 */
public final class EvidenceVerifier {
  private EvidenceVerifier() {}

  /** The problems found; empty when the evidence holds. */
  public static List<String> verify(Evidence e, Set<Address> trustedSigners) {
    List<String> problems = new ArrayList<>();
    int expected = e.kind() == ViolationKind.ORDER_REVERSED ? 2 : 1;
    if (e.preconfirmations().size() != expected) {
      problems.add(
          e.kind()
              + " needs "
              + expected
              + " preconfirmation(s), got "
              + e.preconfirmations().size());
      return problems;
    }
    for (Preconfirmation p : e.preconfirmations()) {
      checkSigned(p, trustedSigners, problems);
      if (!p.chainId().equals(e.rollup().chainId())) {
        problems.add(
            "preconfirmation "
                + p.id()
                + " is for chain "
                + p.chainId()
                + ", not "
                + e.rollup().chainId());
      }
    }
    for (Block b : e.blocks()) {
      if (!b.chainId().equals(e.rollup().chainId())) {
        problems.add(b + " is not on chain " + e.rollup().chainId());
      }
    }
    for (Inclusion i : e.inclusions()) {
      checkInclusion(e, i, problems);
    }
    if (!problems.isEmpty()) {
      return problems;
    }
    if (e.kind() == ViolationKind.NOT_INCLUDED_BY_TARGET_SLOT) {
      checkMissedSlot(e, problems);
    } else {
      checkOrder(e, problems);
    }
    return problems;
  }

  private static void checkSigned(Preconfirmation p, Set<Address> trusted, List<String> problems) {
    Hash32 leafHash = p.leaf().hash();
    if (!leafHash.equals(p.id())) {
      problems.add("id " + p.id() + " is not the leaf hash " + leafHash);
    }
    Commitment c = p.commitment();
    if (!MerkleTree.verify(c.root(), leafHash, p.proof())) {
      problems.add("the proof of " + p.id() + " does not lead to root " + c.root());
    }
    Hash32 digest = CommitmentTypedData.digest(c.root(), c.issuedAt(), c.expiresAt(), c.atomic());
    Optional<Address> signer = EcdsaSignatures.recover(digest, c.signature());
    if (signer.isEmpty() || !signer.get().equals(c.signer())) {
      problems.add(
          "the signature over root " + c.root() + " does not recover signer " + c.signer());
    } else if (!trusted.contains(signer.get())) {
      problems.add("signer " + signer.get() + " is not trusted");
    }
  }

  private static void checkInclusion(Evidence e, Inclusion i, List<String> problems) {
    Optional<Block> block = block(e, i.where().blockHash());
    if (block.isEmpty()) {
      problems.add(
          "inclusion of "
              + i.txHash()
              + " names block "
              + i.where().blockHash()
              + ", which the evidence does not carry");
      return;
    }
    Block b = block.get();
    int index = i.where().index();
    if (b.number() != i.where().blockNumber()
        || index < 0
        || index >= b.transactions().size()
        || !b.transactions().get(index).equals(i.txHash())) {
      problems.add(b + " does not carry " + i.txHash() + " at index " + index);
    }
  }

  private static void checkMissedSlot(Evidence e, List<String> problems) {
    Preconfirmation p = e.preconfirmations().get(0);
    long target = p.leaf().targetSlot();
    long deadline = e.rollup().slotEndMs(target);
    if (p.commitment().expiresAt() < deadline) {
      problems.add(
          "the promise expired at "
              + p.commitment().expiresAt()
              + ", before its deadline "
              + deadline);
    }
    Optional<Inclusion> landed = inclusion(e, p.txHash());
    if (landed.isPresent()) {
      Block b = block(e, landed.get().where().blockHash()).orElseThrow();
      if (b.slot() <= target) {
        problems.add(
            "the transaction landed in "
                + b
                + " at slot "
                + b.slot()
                + ", within target slot "
                + target);
      }
      return;
    }
    boolean past =
        e.blocks().stream()
            .anyMatch(b -> b.slot() > target && !b.transactions().contains(p.txHash()));
    if (!past) {
      problems.add("no carried block is after target slot " + target + " without the transaction");
    }
  }

  private static void checkOrder(Evidence e, List<String> problems) {
    Preconfirmation overtaken = e.preconfirmations().get(0);
    Preconfirmation ahead = e.preconfirmations().get(1);
    if (overtaken.sequence() >= ahead.sequence()) {
      problems.add(
          "sequence " + overtaken.sequence() + " is not before sequence " + ahead.sequence());
    }
    Optional<Inclusion> a = inclusion(e, overtaken.txHash());
    Optional<Inclusion> b = inclusion(e, ahead.txHash());
    if (a.isEmpty() || b.isEmpty()) {
      problems.add("an order reversal needs both transactions' inclusions");
      return;
    }
    if (b.get().compareTo(a.get()) >= 0) {
      problems.add(
          "sequence "
              + ahead.sequence()
              + " was not included ahead of sequence "
              + overtaken.sequence());
    }
    Block landed = block(e, a.get().where().blockHash()).orElseThrow();
    long start = e.rollup().slotStartMs(landed.slot());
    if (overtaken.commitment().expiresAt() < start) {
      problems.add("the overtaken promise had expired when " + landed + " came");
    }
  }

  private static Optional<Block> block(Evidence e, Hash32 hash) {
    return e.blocks().stream().filter(b -> b.hash().equals(hash)).findFirst();
  }

  private static Optional<Inclusion> inclusion(Evidence e, Hash32 txHash) {
    return e.inclusions().stream().filter(i -> i.txHash().equals(txHash)).findFirst();
  }
}
