package io.preconf.core.validation;

import static io.preconf.core.error.ErrorCode.INVALID_PRECONFIRMATION;
import static io.preconf.core.error.ErrorCode.INVALID_PROOF;
import static io.preconf.core.error.ErrorCode.INVALID_QUANTUM_SIGNATURE;
import static io.preconf.core.error.ErrorCode.INVALID_SIGNATURE;
import static io.preconf.core.error.ErrorCode.PRECONFIRMATION_EXPIRED;

import io.preconf.core.commit.Commitment;
import io.preconf.core.commit.CommitmentTypedData;
import io.preconf.core.commit.Leaf;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.crypto.EcdsaSignatures;
import io.preconf.core.crypto.MlDsaVerifier;
import io.preconf.core.crypto.Secp256k1Backend;
import io.preconf.core.error.Reason;
import io.preconf.core.error.Rejection;
import io.preconf.core.error.Result;
import io.preconf.core.metrics.EngineCounters;
import io.preconf.core.tx.DecodedTransaction;
import io.preconf.core.tx.TransactionDecoder;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.Hash32;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a preconfirmation from its own bytes: leaf and id, Merkle proof, EIP-712 signature by a
 * trusted signer, the ML-DSA-65 co-signature, expiry and, when given, the raw transaction. Lists
 * every failed check rather than stopping at the first.
 */
final class PreconfirmationValidator {
  private final Map<Address, TrustedSigner> trusted;

  /** Each trusted ML-DSA key with its expanded form, computed once rather than per check. */
  private final Map<Address, MlDsaVerifier> pqVerifiers;

  private final boolean requireQuantumSignature;
  private final VerifiedCommitments verified;
  private final ProvenNodes nodes = new ProvenNodes();
  private final EngineCounters counters;
  private final Secp256k1Backend secp256k1;

  PreconfirmationValidator(
      Map<Address, TrustedSigner> trusted,
      boolean requireQuantumSignature,
      int cacheSize,
      EngineCounters counters,
      Secp256k1Backend secp256k1) {
    this.secp256k1 = secp256k1;
    this.trusted = Map.copyOf(trusted);
    this.pqVerifiers = pqVerifiers(trusted);
    this.counters = counters;
    this.requireQuantumSignature = requireQuantumSignature;
    this.verified = new VerifiedCommitments(cacheSize);
  }

  private static Map<Address, MlDsaVerifier> pqVerifiers(Map<Address, TrustedSigner> trusted) {
    Map<Address, MlDsaVerifier> verifiers = new HashMap<>();
    trusted.forEach(
        (address, signer) -> {
          if (signer.pqPublicKey() != null) {
            verifiers.put(address, MlDsaVerifier.of(signer.pqPublicKey()));
          }
        });
    return Map.copyOf(verifiers);
  }

  /**
   * Whether exactly this commitment verified before: checking a leaf of it then costs hashes only,
   * no signature.
   */
  boolean verifiedBefore(Commitment c) {
    return verified.contains(c);
  }

  /** The commitment over {@code root} whose signatures verified before, or null. */
  Commitment verified(Hash32 root) {
    return verified.byRoot(root);
  }

  ValidationReport check(Preconfirmation p, Bytes rawTransaction, long nowMs) {
    List<Rejection> errors = new ArrayList<>(2);
    Leaf leaf = p.leaf();
    Commitment c = p.commitment();

    boolean known = verified.contains(c);
    Hash32 leafHash = leaf.hash();
    if (!leafHash.equals(p.id())) {
      errors.add(
          Rejection.of(
              INVALID_PRECONFIRMATION,
              Reason.ID_MISMATCH,
              "id " + p.id() + " is not the hash " + leafHash + " of the leaf's fields"));
    }
    boolean proven = nodes.verify(c.root(), leafHash, p.proof(), known);
    if (!proven) {
      errors.add(
          Rejection.of(
              INVALID_PROOF,
              Reason.ROOT_MISMATCH,
              "the proof of "
                  + p.proof().size()
                  + " hashes does not lead from leaf "
                  + leafHash
                  + " to root "
                  + c.root()));
    }
    if (c.issuedAt() > c.expiresAt()) {
      errors.add(
          Rejection.of(
              INVALID_PRECONFIRMATION,
              Reason.OUT_OF_RANGE,
              "issuedAt " + c.issuedAt() + " is after expiresAt " + c.expiresAt()));
    }
    if (leaf.receivedAt() > c.issuedAt()) {
      errors.add(
          Rejection.of(
              INVALID_PRECONFIRMATION,
              Reason.OUT_OF_RANGE,
              "receivedAt " + leaf.receivedAt() + " is after issuedAt " + c.issuedAt()));
    }
    if (!known && checkSignatures(c, errors) && proven && !p.proof().isEmpty()) {
      // Verified just now: the levels of this proof, hashed once more, serve the round's next
      // leaves.
      nodes.verify(c.root(), leafHash, p.proof(), true);
    }
    if (nowMs > c.expiresAt()) {
      errors.add(
          Rejection.of(
              PRECONFIRMATION_EXPIRED,
              Reason.EXPIRED,
              "the preconfirmation expired at "
                  + c.expiresAt()
                  + " ("
                  + Instant.ofEpochMilli(c.expiresAt())
                  + "), "
                  + (nowMs - c.expiresAt())
                  + " ms ago"));
    }
    if (rawTransaction != null) {
      checkRawTransaction(leaf, rawTransaction, errors);
    }
    return new ValidationReport(errors);
  }

  /** Checks the signatures of {@code c}, not verified before: true when they verified. */
  private boolean checkSignatures(Commitment c, List<Rejection> errors) {
    counters.signatureChecked();
    Hash32 digest = CommitmentTypedData.digest(c.root(), c.issuedAt(), c.expiresAt(), c.atomic());
    Optional<Address> recovered = EcdsaSignatures.recover(digest, c.signature(), secp256k1);
    if (recovered.isEmpty()) {
      errors.add(
          Rejection.of(
              INVALID_SIGNATURE,
              Reason.BAD_SIGNATURE,
              "signature "
                  + c.signature()
                  + " is not a 65-byte low-s secp256k1 signature with v 27 or 28 that recovers a key"));
      return false;
    }
    if (!recovered.get().equals(c.signer())) {
      errors.add(
          Rejection.of(
              INVALID_SIGNATURE,
              Reason.BAD_SIGNATURE,
              "signature recovers signer "
                  + recovered.get()
                  + ", not the stated signer "
                  + c.signer()
                  + ": the commitment was altered or signed by someone else"));
      return false;
    }
    TrustedSigner signer = trusted.get(c.signer());
    if (signer == null) {
      errors.add(
          Rejection.of(
              INVALID_SIGNATURE,
              Reason.UNTRUSTED_SIGNER,
              "signer " + c.signer() + " is not a trusted preconfer"));
      return false;
    }
    if (c.hasPqSignature()) {
      if (signer.pqPublicKey() == null) {
        errors.add(
            Rejection.of(
                INVALID_QUANTUM_SIGNATURE,
                Reason.UNTRUSTED_SIGNER,
                "no ML-DSA-65 public key is trusted for signer " + c.signer()));
        return false;
      }
      if (!pqVerifiers.get(c.signer()).verify(digest, c.pqSignature())) {
        errors.add(
            Rejection.of(
                INVALID_QUANTUM_SIGNATURE,
                Reason.BAD_QUANTUM_SIGNATURE,
                "pqSignature "
                    + c.pqSignature()
                    + " is not a valid ML-DSA-65 signature of signer "
                    + c.signer()
                    + " over the commitment digest "
                    + digest));
        return false;
      }
    } else if (requireQuantumSignature) {
      errors.add(
          Rejection.of(
              INVALID_QUANTUM_SIGNATURE,
              Reason.MISSING_QUANTUM_SIGNATURE,
              "pqSignature is missing and this validator requires an ML-DSA-65 co-signature"));
      return false;
    }
    verified.remember(c);
    return true;
  }

  private void checkRawTransaction(Leaf leaf, Bytes raw, List<Rejection> errors) {
    Result<DecodedTransaction> decoded = TransactionDecoder.decode(raw, secp256k1);
    if (!decoded.isOk()) {
      errors.add(decoded.rejection());
      return;
    }
    DecodedTransaction tx = decoded.value();
    mismatch(errors, "txHash", leaf.txHash(), tx.txHash());
    mismatch(errors, "chainId", leaf.chainId(), tx.chainId());
    mismatch(errors, "sender", leaf.sender(), tx.sender());
    mismatch(errors, "nonce", leaf.nonce(), tx.nonce());
  }

  private static void mismatch(List<Rejection> errors, String field, Object leaf, Object tx) {
    if (!leaf.equals(tx)) {
      errors.add(
          Rejection.of(
              INVALID_PRECONFIRMATION,
              Reason.RAW_TRANSACTION_MISMATCH,
              "rawTransaction has "
                  + field
                  + " "
                  + tx
                  + " but the preconfirmation promises "
                  + field
                  + " "
                  + leaf));
    }
  }
}
