package io.preconf.core.validation;

import static io.preconf.core.testing.EngineFixture.ALPHA;
import static io.preconf.core.testing.EngineFixture.BETA;
import static io.preconf.core.testing.EngineFixture.await;
import static io.preconf.core.testing.EngineFixture.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import io.preconf.core.commit.Commitment;
import io.preconf.core.commit.Leaf;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.crypto.EcdsaSigner;
import io.preconf.core.crypto.MlDsaSigner;
import io.preconf.core.crypto.Secp256k1Backend;
import io.preconf.core.engine.EngineConfig;
import io.preconf.core.engine.PreconfirmRequest;
import io.preconf.core.engine.PreconfirmResult;
import io.preconf.core.engine.PreconfirmationEngine;
import io.preconf.core.engine.Signers;
import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.Rejection;
import io.preconf.core.metrics.EngineCounters;
import io.preconf.core.testing.EngineFixture;
import io.preconf.core.testing.Samples;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PreconfirmationValidationTest {
  private final EngineFixture f = new EngineFixture();

  private List<Preconfirmation> issue(String... txs) {
    return await(f.engine.preconfirm(new PreconfirmRequest(List.of(txs), false, null)))
        .preconfirmations();
  }

  private List<Rejection> errors(Preconfirmation p, Bytes raw) {
    return await(f.validation.validate(p, raw)).errors();
  }

  private static Preconfirmation withLeaf(Preconfirmation p, Leaf leaf) {
    return new Preconfirmation(p.id(), leaf, p.proof(), p.commitment());
  }

  /** {@code p} with its leaf's sequence one later, its id, proof and commitment kept. */
  static Preconfirmation sequenceMoved(Preconfirmation p) {
    Leaf l = p.leaf();
    return withLeaf(
        p,
        new Leaf(
            l.chainId(),
            l.txHash(),
            l.sender(),
            l.nonce(),
            l.sequence() + 1,
            l.previous(),
            l.receivedAt(),
            l.targetSlot()));
  }

  private static Preconfirmation withCommitment(Preconfirmation p, Commitment c) {
    return new Preconfirmation(p.id(), p.leaf(), p.proof(), c);
  }

  @Test
  void acceptsAnIssuedPreconfirmationWithItsRawTransaction() {
    String tx = transfer(ALPHA, 1, 0);
    Preconfirmation p = issue(tx).get(0);

    assertThat(errors(p, Bytes.fromHex("raw", tx))).isEmpty();
    assertThat(f.counters.validatedValid()).isEqualTo(1);
  }

  @Test
  void alteredLeafFieldGivesIdMismatch() {
    Preconfirmation p = issue(transfer(ALPHA, 1, 0)).get(0);

    List<Rejection> errors = errors(sequenceMoved(p), null);
    assertThat(errors)
        .extracting(Rejection::reason)
        .contains(Reason.ID_MISMATCH, Reason.ROOT_MISMATCH);
  }

  @Test
  void proofFromAnotherTreeIsRefused() {
    List<Preconfirmation> two =
        await(
                f.engine.preconfirm(
                    new PreconfirmRequest(
                        List.of(transfer(ALPHA, 1, 0), transfer(BETA, 2, 0)), true, null)))
            .preconfirmations();
    Preconfirmation p = two.get(0);
    Preconfirmation badProof =
        new Preconfirmation(p.id(), p.leaf(), List.of(Hash32.ZERO), p.commitment());

    List<Rejection> errors = errors(badProof, null);
    assertThat(errors)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PROOF);
              assertThat(e.reason()).isEqualTo(Reason.ROOT_MISMATCH);
            });
  }

  @Test
  void changedExpiryBreaksTheSignature() {
    Preconfirmation p = issue(transfer(ALPHA, 1, 0)).get(0);
    Commitment c = p.commitment();
    Commitment longer =
        new Commitment(
            c.root(),
            c.issuedAt(),
            c.expiresAt() + 86_400_000L,
            c.atomic(),
            c.signer(),
            c.signature(),
            c.pqSignature());

    List<Rejection> errors = errors(withCommitment(p, longer), null);
    assertThat(errors)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_SIGNATURE);
              assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE);
              assertThat(e.message()).contains(c.signer().toHex());
            });
  }

  @Test
  void commitmentSignedByAnUntrustedKeyIsRefused() {
    EcdsaSigner stranger = EngineFixture.sender(77);
    Preconfirmation p = issue(transfer(ALPHA, 1, 0)).get(0);
    Commitment c = p.commitment();
    Hash32 digest =
        io.preconf.core.commit.CommitmentTypedData.digest(
            c.root(), c.issuedAt(), c.expiresAt(), c.atomic());
    Commitment forged =
        new Commitment(
            c.root(),
            c.issuedAt(),
            c.expiresAt(),
            c.atomic(),
            stranger.address(),
            stranger.sign(digest),
            null);

    List<Rejection> errors = errors(withCommitment(p, forged), null);
    assertThat(errors).extracting(Rejection::reason).containsExactly(Reason.UNTRUSTED_SIGNER);
    assertThat(errors.get(0).message()).contains(stranger.address().toHex());
  }

  @Test
  void tamperedQuantumSignatureIsRefused() {
    Preconfirmation p = issue(transfer(ALPHA, 1, 0)).get(0);
    Commitment c = p.commitment();
    byte[] pq = c.pqSignature().toArray();
    pq[100] ^= 1;
    Commitment tampered = Samples.withPqSignature(c, Bytes.wrap(pq));

    assertThat(errors(withCommitment(p, tampered), null))
        .extracting(Rejection::code, Rejection::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                ErrorCode.INVALID_QUANTUM_SIGNATURE, Reason.BAD_QUANTUM_SIGNATURE));
  }

  @Test
  void missingQuantumSignatureIsRefusedOnlyWhenRequired() {
    EngineConfig classic = EngineConfig.defaults().withQuantumSignatures(false);
    EngineFixture noPq = new EngineFixture(classic, Runnable::run);
    Preconfirmation p =
        await(
                noPq.engine.preconfirm(
                    new PreconfirmRequest(List.of(transfer(ALPHA, 1, 0)), false, null)))
            .preconfirmations()
            .get(0);
    assertThat(p.commitment().pqSignature()).isNull();
    assertThat(await(noPq.validation.validate(p, null)).valid()).isTrue();

    EngineConfig strict =
        new EngineConfig(
            classic.maxTransactionBytes(),
            classic.maxInitCodeBytes(),
            classic.maxTransactionsPerRequest(),
            classic.ttl(),
            classic.preconfirmationTimeout(),
            classic.validationTimeout(),
            true,
            false,
            true,
            true,
            1000);
    EngineFixture demanding = new EngineFixture(strict, Runnable::run);
    assertThat(await(demanding.validation.validate(p, null)).errors())
        .extracting(Rejection::reason)
        .containsExactly(Reason.MISSING_QUANTUM_SIGNATURE);
  }

  @Test
  void expiredPromiseIsReportedWithItsExpiry() {
    Preconfirmation p = issue(transfer(ALPHA, 1, 0)).get(0);
    f.clock.advance(3_600_001);

    List<Rejection> errors = errors(p, null);
    assertThat(errors)
        .extracting(Rejection::code)
        .containsExactly(ErrorCode.PRECONFIRMATION_EXPIRED);
    assertThat(errors.get(0).message()).contains(Long.toString(p.commitment().expiresAt()));
  }

  @Test
  void rawTransactionThatIsNotThePromisedOneIsAMismatch() {
    Preconfirmation p = issue(transfer(ALPHA, 1, 0)).get(0);
    Bytes other = Bytes.fromHex("raw", transfer(ALPHA, 1, 1));

    assertThat(errors(p, other))
        .extracting(Rejection::reason)
        .containsOnly(Reason.RAW_TRANSACTION_MISMATCH)
        .hasSize(2);
  }

  @Test
  void manyLeavesOfOneCommitmentReuseOneVerifiedSignature() {
    String[] txs = new String[20];
    for (int i = 0; i < txs.length; i++) {
      txs[i] = transfer(ALPHA, i, 0);
    }
    List<Preconfirmation> all =
        await(f.engine.preconfirm(new PreconfirmRequest(List.of(txs), true, null)))
            .preconfirmations();
    for (Preconfirmation p : all) {
      assertThat(errors(p, null)).isEmpty();
    }
    assertThat(f.counters.signatureChecks()).isEqualTo(1);
    // A cached commitment still fails when its signature bytes differ from the verified ones.
    Commitment c = all.get(1).commitment();
    byte[] sig = c.signature().toArray();
    sig[5] ^= 1;
    Preconfirmation altered =
        withCommitment(
            all.get(1),
            new Commitment(
                c.root(),
                c.issuedAt(),
                c.expiresAt(),
                c.atomic(),
                c.signer(),
                Bytes.wrap(sig),
                c.pqSignature()));
    assertThat(errors(altered, null))
        .extracting(Rejection::code)
        .containsExactly(ErrorCode.INVALID_SIGNATURE);
    assertThat(f.counters.signatureChecks()).isEqualTo(2);
  }

  /**
   * The leaves of a round reuse the proof levels checked before theirs, and yet a proof changed at
   * any level, with two levels swapped, or of another verified round is refused as before.
   */
  @Test
  void provenLevelsOfARoundNeverPassAnAlteredProof() {
    List<Preconfirmation> round = issueRound(ALPHA);
    List<Preconfirmation> other = issueRound(BETA);
    for (Preconfirmation p : round) {
      assertThat(errors(p, null)).isEmpty();
    }
    for (Preconfirmation p : other) {
      assertThat(errors(p, null)).isEmpty();
    }
    for (int i = 0; i < round.size(); i++) {
      Preconfirmation p = round.get(i);
      List<Hash32> proof = p.proof();
      assertThat(proof).hasSizeGreaterThan(2);
      List<List<Hash32>> altered = new ArrayList<>();
      for (int level = 0; level < proof.size(); level++) {
        List<Hash32> changed = new ArrayList<>(proof);
        byte[] h = proof.get(level).toArray();
        h[31] ^= 1;
        changed.set(level, Hash32.wrap(h));
        altered.add(changed);
        List<Hash32> known = new ArrayList<>(proof);
        known.set(level, round.get((i + 1) % round.size()).id());
        if (!known.equals(proof)) {
          altered.add(known);
        }
        if (level + 1 < proof.size()) {
          List<Hash32> swapped = new ArrayList<>(proof);
          Collections.swap(swapped, level, level + 1);
          altered.add(swapped);
        }
      }
      altered.add(other.get(i % other.size()).proof());
      for (List<Hash32> bad : altered) {
        assertThat(errors(new Preconfirmation(p.id(), p.leaf(), bad, p.commitment()), null))
            .singleElement()
            .satisfies(
                e -> {
                  assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PROOF);
                  assertThat(e.reason()).isEqualTo(Reason.ROOT_MISMATCH);
                  assertThat(e.message())
                      .isEqualTo(
                          "the proof of "
                              + bad.size()
                              + " hashes does not lead from leaf "
                              + p.id()
                              + " to root "
                              + p.commitment().root());
                });
      }
    }
    assertThat(f.counters.signatureChecks()).isEqualTo(2);
  }

  private List<Preconfirmation> issueRound(ChainId chain) {
    String[] txs = new String[24];
    for (int i = 0; i < txs.length; i++) {
      txs[i] = transfer(chain, i, 0);
    }
    return await(f.engine.preconfirm(new PreconfirmRequest(List.of(txs), true, null)))
        .preconfirmations();
  }

  /**
   * A remembered commitment vouches only for itself: every copy that differs from it, in a
   * signature, the key behind one, a signed field or the leaf, is checked again and refused.
   */
  @Test
  void aCachedCommitmentNeverPassesAnAlteredCopy() {
    Preconfirmation good = issue(transfer(ALPHA, 1, 0)).get(0);
    assertThat(errors(good, null)).isEmpty();
    assertThat(errors(good, null)).isEmpty();
    assertThat(f.counters.signatureChecks()).as("the second check hit the cache").isEqualTo(1);
    Commitment c = good.commitment();
    Preconfirmation otherPromise = issue(transfer(ALPHA, 2, 0)).get(0);
    Hash32 digest =
        io.preconf.core.commit.CommitmentTypedData.digest(
            c.root(), c.issuedAt(), c.expiresAt(), c.atomic());
    Bytes strangersEcdsa = EngineFixture.sender(77).sign(digest);
    Bytes strangersMlDsa =
        MlDsaSigner.fromSeed(Bytes.fromHex("seed", "0x" + "77".repeat(32))).sign(digest);

    byte[] ecdsa = c.signature().toArray();
    ecdsa[7] ^= 1;
    byte[] pq = c.pqSignature().toArray();
    pq[2000] ^= 1;
    assertRefused(
        withCommitment(good, withSignatures(c, Bytes.wrap(ecdsa), c.pqSignature())),
        ErrorCode.INVALID_SIGNATURE);
    assertRefused(
        withCommitment(good, withSignatures(c, c.signature(), Bytes.wrap(pq))),
        ErrorCode.INVALID_QUANTUM_SIGNATURE);
    assertRefused(
        withCommitment(good, withSignatures(c, strangersEcdsa, c.pqSignature())),
        ErrorCode.INVALID_SIGNATURE);
    assertRefused(
        withCommitment(good, withSignatures(c, c.signature(), strangersMlDsa)),
        ErrorCode.INVALID_QUANTUM_SIGNATURE);

    assertRefused(
        withCommitment(
            good,
            new Commitment(
                c.root(),
                c.issuedAt(),
                c.expiresAt() + 1,
                c.atomic(),
                c.signer(),
                c.signature(),
                c.pqSignature())),
        ErrorCode.INVALID_SIGNATURE);
    assertRefused(
        new Preconfirmation(
            otherPromise.id(), otherPromise.leaf(), otherPromise.proof(), good.commitment()),
        ErrorCode.INVALID_PROOF);
    Leaf leaf = good.leaf();
    assertRefused(
        withLeaf(
            good,
            new Leaf(
                leaf.chainId(),
                leaf.txHash(),
                leaf.sender(),
                leaf.nonce() + 1,
                leaf.sequence(),
                leaf.previous(),
                leaf.receivedAt(),
                leaf.targetSlot())),
        ErrorCode.INVALID_PRECONFIRMATION);
    assertThat(errors(good, null)).as("the good one still passes").isEmpty();
  }

  private static Commitment withSignatures(Commitment c, Bytes signature, Bytes pqSignature) {
    return new Commitment(
        c.root(), c.issuedAt(), c.expiresAt(), c.atomic(), c.signer(), signature, pqSignature);
  }

  private void assertRefused(Preconfirmation p, ErrorCode code) {
    assertThat(errors(p, null)).extracting(Rejection::code).contains(code);
  }

  @Test
  void verifyOnlyIdentityValidatesButRefusesToPromise() {
    Preconfirmation p = issue(transfer(ALPHA, 1, 0)).get(0);
    EngineFixture signing = new EngineFixture();
    Signers verifyOnly =
        Signers.verifyOnly(EngineFixture.PRECONFER.address(), EngineFixture.PQ.publicKey());
    EngineCounters counters = new EngineCounters();
    Validation validation =
        new Validation(
            EngineConfig.defaults(),
            verifyOnly,
            List.of(),
            f.clock,
            Runnable::run,
            counters,
            Secp256k1Backend.bouncyCastle());
    PreconfirmationEngine engine =
        new PreconfirmationEngine(
            EngineConfig.defaults(),
            EngineFixture.rollups(),
            verifyOnly,
            new PreconfirmationEngine.Ports(signing.lanes, signing.store, signing.store, f.clock),
            Runnable::run,
            counters);

    assertThat(await(validation.validate(p, null)).valid()).isTrue();
    PreconfirmResult refused =
        await(
            engine.preconfirm(new PreconfirmRequest(List.of(transfer(ALPHA, 2, 0)), false, null)));
    assertThat(refused.preconfirmations()).isEmpty();
    assertThat(refused.error().code()).isEqualTo(ErrorCode.SIGNATURE_GENERATION_FAILED);
    assertThat(refused.error().message()).contains(EngineFixture.PRECONFER.address().toHex());
    assertThat(signing.lanes.head(ALPHA)).isZero();
  }

  @Test
  void aSingleValidationIsCheckedWhereAskedWhateverItVerifies() {
    AtomicInteger hops = new AtomicInteger();
    EngineFixture counted =
        new EngineFixture(
            EngineConfig.defaults(),
            task -> {
              hops.incrementAndGet();
              task.run();
            });
    List<Preconfirmation> round =
        await(
                counted.engine.preconfirm(
                    new PreconfirmRequest(
                        List.of(transfer(ALPHA, 1, 0), transfer(ALPHA, 2, 0)), false, null)))
            .preconfirmations();
    assertThat(round.get(0).commitment()).isEqualTo(round.get(1).commitment());
    int afterIssuing = hops.get();

    assertThat(await(counted.validation.validate(round.get(0), null)).errors()).isEmpty();
    assertThat(hops.get())
        .as("the first leaf's signatures are checked where asked")
        .isEqualTo(afterIssuing);

    assertThat(await(counted.validation.validate(round.get(1), null)).errors()).isEmpty();
    Preconfirmation altered = withLeaf(round.get(1), round.get(0).leaf());
    assertThat(await(counted.validation.validate(altered, null)).errors())
        .extracting(Rejection::reason)
        .contains(Reason.ID_MISMATCH);
    assertThat(hops.get())
        .as("leaves of the verified commitment are checked in place")
        .isEqualTo(afterIssuing);
    assertThat(counted.counters.validatedValid()).isEqualTo(2);

    String tx = transfer(ALPHA, 1, 0);
    assertThat(await(counted.validation.validate(round.get(0), Bytes.fromHex("raw", tx))).errors())
        .isEmpty();
    assertThat(hops.get())
        .as("a raw transaction's sender is recovered where asked")
        .isEqualTo(afterIssuing);
  }
}
