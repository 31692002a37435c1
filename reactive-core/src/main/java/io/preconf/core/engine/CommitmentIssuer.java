package io.preconf.core.engine;

import io.preconf.core.commit.Commitment;
import io.preconf.core.commit.CommitmentTypedData;
import io.preconf.core.commit.Leaf;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.crypto.DigestSigner;
import io.preconf.core.merkle.MerkleTree;
import io.preconf.core.port.LanePosition;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.Hash32;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Signs the commitments of a round over legs at their lane positions: per commitment a leaf per
 * leg, the Merkle tree of the leaves, the EIP-712 digest of its root, the ECDSA signature and, with
 * quantum signatures on, the ML-DSA-65 co-signature; then one preconfirmation per leg with its
 * proof. Pure and CPU-bound.
 */
final class CommitmentIssuer {
  private final Signers signers;
  private final DigestSigner pqSigner;
  private final Duration ttl;

  /** The signers may be verify-only; {@link #issue} then must not be called. */
  CommitmentIssuer(Signers signers, EngineConfig config) {
    if (signers.canSign() && config.quantumSignatures() && signers.pq() == null) {
      throw new IllegalArgumentException(
          "quantum signatures are on but no ML-DSA-65 key is configured");
    }
    this.signers = signers;
    this.pqSigner = config.quantumSignatures() ? signers.pq() : null;
    this.ttl = config.ttl();
  }

  /**
   * The legs of one request at their lane positions.
   *
   * @param atomic whether the request is all or nothing; its legs then get a commitment of their
   *     own
   */
  record Batch(boolean atomic, List<Leg> legs, List<LanePosition> positions) {}

  /**
   * One preconfirmation per leg of each batch, in batch and leg order, issued at {@code nowMs} or
   * just after: the legs of every non-atomic batch share one commitment (one tree, one signature of
   * each kind), and each atomic batch has its own, so that an all-or-nothing root never holds
   * another request's transactions.
   */
  List<List<Preconfirmation>> issue(List<Batch> batches, long nowMs) {
    List<Leg> sharedLegs = new ArrayList<>();
    List<LanePosition> sharedPositions = new ArrayList<>();
    for (Batch b : batches) {
      if (!b.atomic()) {
        sharedLegs.addAll(b.legs());
        sharedPositions.addAll(b.positions());
      }
    }
    List<Preconfirmation> shared =
        sharedLegs.isEmpty() ? List.of() : commit(false, sharedLegs, sharedPositions, nowMs);
    List<List<Preconfirmation>> out = new ArrayList<>(batches.size());
    int from = 0;
    for (Batch b : batches) {
      if (b.atomic()) {
        out.add(b.legs().isEmpty() ? List.of() : commit(true, b.legs(), b.positions(), nowMs));
      } else {
        out.add(shared.subList(from, from + b.legs().size()));
        from += b.legs().size();
      }
    }
    return out;
  }

  /** One commitment over the legs: a preconfirmation per leg, in leg order. */
  private List<Preconfirmation> commit(
      boolean atomic, List<Leg> legs, List<LanePosition> positions, long nowMs) {
    List<Leaf> leaves = new ArrayList<>(legs.size());
    List<Hash32> hashes = new ArrayList<>(legs.size());
    long latestReceipt = 0;
    for (int i = 0; i < legs.size(); i++) {
      Leg leg = legs.get(i);
      LanePosition pos = positions.get(i);
      Leaf leaf =
          new Leaf(
              leg.tx().chainId(),
              leg.tx().txHash(),
              leg.tx().sender(),
              leg.tx().nonce(),
              pos.sequence(),
              pos.previous(),
              pos.receivedAt(),
              leg.targetSlot());
      leaves.add(leaf);
      hashes.add(leaf.hash());
      latestReceipt = Math.max(latestReceipt, pos.receivedAt());
    }
    MerkleTree tree = MerkleTree.of(hashes);
    // The sequencer's clock may run slightly ahead of ours; a promise is never issued before its
    // positions were assigned.
    long issuedAt = Math.max(nowMs, latestReceipt);
    long expiresAt = issuedAt + ttl.toMillis();
    Hash32 digest = CommitmentTypedData.digest(tree.root(), issuedAt, expiresAt, atomic);
    Bytes signature = signers.ecdsa().sign(digest);
    Bytes pqSignature = pqSigner == null ? null : pqSigner.sign(digest);
    Commitment commitment =
        new Commitment(
            tree.root(), issuedAt, expiresAt, atomic, signers.address(), signature, pqSignature);
    List<Preconfirmation> out = new ArrayList<>(legs.size());
    for (int i = 0; i < leaves.size(); i++) {
      Hash32 id = hashes.get(i);
      out.add(new Preconfirmation(id, leaves.get(i), tree.proof(id), commitment));
    }
    return out;
  }
}
