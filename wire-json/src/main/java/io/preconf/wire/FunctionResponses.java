package io.preconf.wire;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.preconf.core.commit.Commitment;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.commit.TrackedPreconfirmation;
import io.preconf.core.engine.PreconfirmResult;
import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Rejection;
import io.preconf.core.finality.RecordedViolation;
import io.preconf.core.finality.Reorg;
import io.preconf.core.finality.Violation;
import io.preconf.core.pull.LanePage;
import io.preconf.core.pull.PulledEntry;
import io.preconf.core.reconcile.ReconcileResult;
import io.preconf.core.rollup.RollupConfig;
import io.preconf.core.status.PromiseStatus;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** What the functions answer (spec section 5, and {@code reconcile} of docs/finality.md). */
public final class FunctionResponses {
  private FunctionResponses() {}

  /**
   * {@code {"preconfirmations":[..],"rejected":[..],"error"?}}: preconfirmations in request order,
   * refused transactions by index, and {@code error} only when the request as a whole was refused.
   */
  public static ObjectNode preconfirm(PreconfirmResult r) {
    ObjectNode o = Json.object();
    ArrayNode ps = o.putArray("preconfirmations");
    CommitmentTexts texts = new CommitmentTexts();
    for (Preconfirmation p : r.preconfirmations()) {
      String commitment = texts.of(p.commitment());
      StringBuilder text =
          new StringBuilder(
              PreconfirmationCodec.textLengthWithoutCommitment(p) + commitment.length());
      PreconfirmationCodec.appendTo(text, p, commitment);
      ps.add(Json.raw(text.toString()));
    }
    ArrayNode rejected = o.putArray("rejected");
    r.rejected().forEach(x -> rejected.add(ErrorCodec.toTree(x)));
    if (r.error() != null) {
      o.set("error", ErrorCodec.toTree(r.error()));
    }
    return o;
  }

  /**
   * {@link #preconfirm}'s text, byte for byte, written in one pass: each preconfirmation's text
   * goes straight into the answer's, and each commitment's text (its 3,309-byte ML-DSA signature as
   * hex) is made once however many of the answer's preconfirmations carry it, where the tree made a
   * text per preconfirmation and the serializer copied each into the answer again.
   */
  public static String preconfirmText(PreconfirmResult r) {
    CommitmentTexts texts = new CommitmentTexts();
    int length = 64;
    for (Preconfirmation p : r.preconfirmations()) {
      length +=
          PreconfirmationCodec.textLengthWithoutCommitment(p) + texts.of(p.commitment()).length();
    }
    StringBuilder out = new StringBuilder(length).append("{\"preconfirmations\":[");
    for (int i = 0; i < r.preconfirmations().size(); i++) {
      Preconfirmation p = r.preconfirmations().get(i);
      PreconfirmationCodec.appendTo(i == 0 ? out : out.append(','), p, texts.of(p.commitment()));
    }
    out.append("],\"rejected\":[");
    for (int i = 0; i < r.rejected().size(); i++) {
      (i == 0 ? out : out.append(',')).append(ErrorCodec.toTree(r.rejected().get(i)));
    }
    out.append(']');
    if (r.error() != null) {
      out.append(",\"error\":").append(ErrorCodec.toTree(r.error()));
    }
    return out.append('}').toString();
  }

  /**
   * The text of each commitment an answer carries, made once: a round's preconfirmations hold the
   * same commitment object, so identity finds it without hashing its bytes.
   */
  private static final class CommitmentTexts {
    private final Map<Commitment, String> texts = new IdentityHashMap<>();

    String of(Commitment c) {
      return texts.computeIfAbsent(c, PreconfirmationCodec::commitmentToJson);
    }
  }

  /** {@code {"valid":..,"errors":[..]}}: valid when no check failed; every failed check listed. */
  public static ObjectNode validate(List<Rejection> errors) {
    ObjectNode o = Json.object();
    o.put("valid", errors.isEmpty());
    ArrayNode es = o.putArray("errors");
    errors.forEach(e -> es.add(ErrorCodec.toTree(e)));
    return o;
  }

  /**
   * {@code {"results":[{"valid":..,"errors":[..]}, ..]}}: the batch form's answer, one {@link
   * #validate} answer per preconfirmation, in the order they were sent.
   */
  public static ObjectNode validations(List<List<Rejection>> errorsOfEach) {
    ObjectNode o = Json.object();
    ArrayNode results = o.putArray("results");
    errorsOfEach.forEach(errors -> results.add(validate(errors)));
    return o;
  }

  /** A valid preconfirmation's answer, the same text every time. */
  private static final String VALID = validate(List.of()).toString();

  /** {@link #validate}'s text. */
  public static String validateText(List<Rejection> errors) {
    return errors.isEmpty() ? VALID : validate(errors).toString();
  }

  /**
   * {@link #validations}'s text, the same bytes as the tree's: each result's text joined in order,
   * a valid one's written once for all.
   */
  public static String validationsText(List<List<Rejection>> errorsOfEach) {
    StringBuilder out = new StringBuilder(16 + 28 * errorsOfEach.size()).append("{\"results\":[");
    for (int i = 0; i < errorsOfEach.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append(validateText(errorsOfEach.get(i)));
    }
    return out.append("]}").toString();
  }

  /** {@code {"results":[],"error":{..}}}: a batch refused whole, nothing of it checked. */
  public static ObjectNode validationsRefused(Rejection why) {
    return refusedWhole("results", why);
  }

  /**
   * A found promise: the stored preconfirmation, its {@code status}, {@code finality} once
   * included, and the {@code violations} recorded against it (with their evidence as stored) when
   * there are any. No promise: {@code {"found":false,"voidedSequence"?,"error":{..}}}, the lane
   * sequence once reserved for the transaction and voided named when there is one.
   */
  public static ObjectNode status(PromiseStatus status) {
    return status instanceof PromiseStatus.Found found
        ? found(found)
        : notFound((PromiseStatus.NotFound) status);
  }

  private static ObjectNode found(PromiseStatus.Found found) {
    TrackedPreconfirmation t = found.promise();
    ObjectNode o = PreconfirmationCodec.toTree(t.preconfirmation());
    o.put("status", found.status().name());
    if (t.finality() != null) {
      o.set("finality", FinalityCodec.toTree(t.finality()));
    }
    if (!found.violations().isEmpty()) {
      ArrayNode vs = o.putArray("violations");
      for (RecordedViolation v : found.violations()) {
        ObjectNode n = vs.addObject();
        n.put("kind", v.kind().name());
        n.put("reason", v.reason());
        n.put("blockHash", v.blockHash().toHex());
        n.put("detectedAt", v.detectedAt());
        n.put("retracted", v.retracted());
        n.set(
            "evidence", Json.parse("stored evidence", v.evidenceJson(), ErrorCode.STORAGE_FAILED));
      }
    }
    return o;
  }

  private static ObjectNode notFound(PromiseStatus.NotFound notFound) {
    ObjectNode o = Json.object();
    o.put("found", false);
    notFound.voidedSequence().ifPresent(n -> o.put("voidedSequence", n));
    o.set("error", ErrorCodec.toTree(notFound.why()));
    return o;
  }

  /**
   * {@code {"outcome","block"?,"reorg"?,"changes":[..],"violations":[..],"error"?}}: changes as the
   * feed's status messages carry them, violations with their evidence.
   */
  public static ObjectNode reconcile(ReconcileResult r) {
    ObjectNode o = Json.object();
    o.put("outcome", r.outcome().name());
    if (r.block() != null) {
      ObjectNode b = o.putObject("block");
      b.put("chainId", r.block().chainId().value());
      b.put("number", r.block().number());
      b.put("hash", r.block().hash().toHex());
      b.put("slot", r.block().slot());
    }
    if (r.reorg() != null) {
      Reorg g = r.reorg();
      ObjectNode n = o.putObject("reorg");
      n.put("height", g.height());
      n.put("replaced", g.replaced() == null ? null : g.replaced().toHex());
      n.put("replacement", g.replacement().toHex());
      n.set("orphaned", HashList.toTree(g.orphaned()));
    }
    ArrayNode changes = o.putArray("changes");
    r.changes().forEach(c -> changes.add(StatusChangeCodec.toTree(c)));
    ArrayNode violations = o.putArray("violations");
    for (Violation v : r.violations()) {
      ObjectNode n = violations.addObject();
      n.put("preconfirmationId", v.preconfirmation().id().toHex());
      n.put("chainId", v.preconfirmation().chainId().value());
      n.put("txHash", v.preconfirmation().txHash().toHex());
      n.put("sequence", v.preconfirmation().sequence());
      n.put("kind", v.kind().name());
      n.put("reason", v.reason());
      n.put("blockHash", v.blockHash().toHex());
      n.set("evidence", EvidenceCodec.toTree(v.evidence()));
    }
    if (r.error() != null) {
      o.set("error", ErrorCodec.toTree(r.error()));
    }
    return o;
  }

  /**
   * {@code {"signer","pqPublicKey","rollups":[..],"version"}}, each rollup with its slot in
   * progress at {@code nowMs}.
   *
   * @param pqPublicKey the ML-DSA-65 public key, or null when post-quantum signing is off
   */
  public static ObjectNode info(
      Address signer,
      Bytes pqPublicKey,
      Collection<RollupConfig> rollups,
      long nowMs,
      String version) {
    ObjectNode o = Json.object();
    o.put("signer", signer.toHex());
    o.put("pqPublicKey", pqPublicKey == null ? null : pqPublicKey.toHex());
    ArrayNode list = o.putArray("rollups");
    for (RollupConfig r : rollups) {
      ObjectNode n = list.addObject();
      n.put("chainId", r.chainId().value());
      n.put("name", r.name());
      n.put("slotDurationMs", r.slotDurationMs());
      n.put("genesisTimeMs", r.genesisTimeMs());
      n.put("currentSlot", r.slotAt(nowMs));
      n.put("lookaheadSlots", r.lookaheadSlots());
      n.put("gasLimit", r.gasLimit());
      n.put("minPriorityFeeWei", r.minPriorityFeeWei().toString());
      n.put("maxPreconfirmationsPerSlot", r.maxPreconfirmationsPerSlot());
      n.put("maxGasPerSlot", r.maxGasPerSlot());
    }
    o.put("version", version);
    return o;
  }

  /**
   * {@code lane}'s page: {@code {"chainId","entries":[..],"next"}}, each entry {@code
   * {"sequence","txHash","id","status","signedTransaction"?}} or, for a void position, {@code
   * {"sequence","txHash","void":true}}; the signed bytes only where the page carries them.
   */
  public static ObjectNode lane(LanePage page) {
    ObjectNode o = Json.object();
    o.put("chainId", page.chainId().value());
    ArrayNode entries = o.putArray("entries");
    for (PulledEntry e : page.entries()) {
      ObjectNode entry = entries.addObject();
      entry.put("sequence", e.sequence());
      entry.put("txHash", e.txHash().toHex());
      if (e.isVoid()) {
        entry.put("void", true);
        continue;
      }
      entry.put("id", e.id().toHex());
      entry.put("status", e.status().name());
      if (e.signedTransaction() != null) {
        entry.put("signedTransaction", e.signedTransaction().toHex());
      }
    }
    o.put("next", page.next());
    return o;
  }

  /** {@code lane} refused: {@code {"entries":[],"error":{..}}}. */
  public static ObjectNode laneRefused(Rejection why) {
    return refusedWhole("entries", why);
  }

  /** {@code {"<list>":[],"error":{..}}}: a request refused whole, its list of answers empty. */
  private static ObjectNode refusedWhole(String list, Rejection why) {
    ObjectNode o = Json.object();
    o.putArray(list);
    o.set("error", ErrorCodec.toTree(why));
    return o;
  }
}
