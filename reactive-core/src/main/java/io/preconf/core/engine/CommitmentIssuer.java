package io.preconf.core.engine;

import io.preconf.core.commit.Commitment;
import io.preconf.core.commit.CommitmentTypedData;
import io.preconf.core.commit.Leaf;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.crypto.MlDsaSigner;
import io.preconf.core.merkle.MerkleTree;
import io.preconf.core.port.LanePosition;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.Hash32;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Signs one commitment over legs at their lane positions: a leaf per leg, the Merkle tree of the
 * leaves, the EIP-712 digest of its root, the ECDSA signature and, with quantum signatures on, the
 * ML-DSA-65 co-signature; then one preconfirmation per leg with its proof. Pure and CPU-bound.
 */
final class CommitmentIssuer {
  private final Signers signers;
  private final MlDsaSigner pqSigner;
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

  /** One preconfirmation per leg, in leg order, issued at {@code nowMs} or just after. */
  List<Preconfirmation> issue(
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
