package io.preconf.core.wire;

import static io.preconf.core.error.ErrorCode.INVALID_PRECONFIRMATION;

import io.preconf.core.commit.Commitment;
import io.preconf.core.commit.Leaf;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.error.Reason;
import io.preconf.core.error.Result;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.preconf.core.types.MalformedValueException;
import java.util.ArrayList;
import java.util.List;

/** Maps preconfirmations between the wire shape and the domain records. */
public final class WireCodec {
  /** Numbers on the wire are JSON numbers that must fit in 53 bits. */
  public static final long MAX_SAFE = (1L << 53) - 1;

  private static final int MAX_PROOF_LENGTH = 64;

  private WireCodec() {}

  public static WirePreconfirmation toWire(Preconfirmation p) {
    Leaf leaf = p.leaf();
    List<String> proof = new ArrayList<>(p.proof().size());
    for (Hash32 h : p.proof()) {
      proof.add(h.toHex());
    }
    Commitment c = p.commitment();
    return new WirePreconfirmation(
        p.id().toHex(),
        leaf.chainId().value(),
        leaf.txHash().toHex(),
        leaf.sender().toHex(),
        leaf.nonce(),
        leaf.sequence(),
        leaf.previous().toHex(),
        leaf.receivedAt(),
        leaf.targetSlot(),
        proof,
        new WireCommitment(
            c.root().toHex(),
            c.issuedAt(),
            c.expiresAt(),
            c.atomic(),
            c.signer().toHex(),
            c.signature().toHex(),
            c.pqSignature() == null ? null : c.pqSignature().toHex()));
  }

  /**
   * Parses and range-checks every field. Says nothing of whether the preconfirmation is genuine:
   * that is validation's work.
   */
  public static Result<Preconfirmation> fromWire(WirePreconfirmation w) {
    if (w == null) {
      return missing("preconfirmation");
    }
    try {
      if (w.commitment() == null) {
        return missing("commitment");
      }
      if (w.proof() == null) {
        return missing("proof");
      }
      if (w.proof().size() > MAX_PROOF_LENGTH) {
        return Result.err(
            INVALID_PRECONFIRMATION,
            Reason.WRONG_LENGTH,
            "proof has " + w.proof().size() + " hashes, more than " + MAX_PROOF_LENGTH);
      }
      Leaf leaf =
          new Leaf(
              ChainId.of(number("chainId", w.chainId())),
              Hash32.fromHex("txHash", required("txHash", w.txHash())),
              Address.fromHex("sender", required("sender", w.sender())),
              number("nonce", w.nonce()),
              number("sequence", w.sequence()),
              Hash32.fromHex("previous", required("previous", w.previous())),
              number("receivedAt", w.receivedAt()),
              number("targetSlot", w.targetSlot()));
      List<Hash32> proof = new ArrayList<>(w.proof().size());
      for (int i = 0; i < w.proof().size(); i++) {
        proof.add(
            Hash32.fromHex("proof[" + i + "]", required("proof[" + i + "]", w.proof().get(i))));
      }
      WireCommitment wc = w.commitment();
      if (wc.atomic() == null) {
        throw new MissingField("commitment.atomic");
      }
      Commitment commitment =
          new Commitment(
              Hash32.fromHex("commitment.root", required("commitment.root", wc.root())),
              number("commitment.issuedAt", wc.issuedAt()),
              number("commitment.expiresAt", wc.expiresAt()),
              wc.atomic(),
              Address.fromHex("commitment.signer", required("commitment.signer", wc.signer())),
              Bytes.fromHex(
                  "commitment.signature", required("commitment.signature", wc.signature())),
              wc.pqSignature() == null
                  ? null
                  : Bytes.fromHex("commitment.pqSignature", wc.pqSignature()));
      Hash32 id = Hash32.fromHex("id", required("id", w.id()));
      return Result.ok(new Preconfirmation(id, leaf, proof, commitment));
    } catch (MissingField e) {
      return missing(e.getMessage());
    } catch (MalformedValueException e) {
      return Result.err(INVALID_PRECONFIRMATION, e.reason(), e.getMessage());
    }
  }

  private static String required(String field, String value) {
    if (value == null) {
      throw new MissingField(field);
    }
    return value;
  }

  private static long number(String field, Long value) {
    if (value == null) {
      throw new MissingField(field);
    }
    if (value < 0 || value > MAX_SAFE) {
      throw new MalformedValueException(
          Reason.OUT_OF_RANGE, field + " must be between 0 and " + MAX_SAFE + ", got " + value);
    }
    return value;
  }

  private static <T> Result<T> missing(String field) {
    return Result.err(
        INVALID_PRECONFIRMATION, Reason.MISSING_FIELD, "field \"" + field + "\" is missing");
  }

  /** Parse-internal signal; never escapes {@link #fromWire}. */
  private static final class MissingField extends RuntimeException {
    MissingField(String field) {
      super(field, null, false, false);
    }
  }
}
