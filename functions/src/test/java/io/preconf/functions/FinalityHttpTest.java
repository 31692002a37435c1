package io.preconf.functions;

import static io.preconf.functions.FinalityChain.GAMMA;
import static io.preconf.functions.FinalityChain.awaitSlot;
import static io.preconf.functions.FinalityChain.block;
import static io.preconf.functions.FinalityChain.blockSlot;
import static io.preconf.functions.FinalityChain.currentSlot;
import static io.preconf.functions.FinalityChain.freshHeight;
import static io.preconf.functions.FinalityChain.randomHash;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.preconf.core.commit.CommitmentTypedData;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.crypto.EcdsaSignatures;
import io.preconf.core.finality.Block;
import io.preconf.core.finality.Evidence;
import io.preconf.core.finality.EvidenceVerifier;
import io.preconf.core.finality.RecordedViolation;
import io.preconf.core.finality.ViolationKind;
import io.preconf.core.merkle.MerkleTree;
import io.preconf.core.port.StatusQuery;
import io.preconf.core.types.Address;
import io.preconf.core.types.Hash32;
import io.preconf.infra.LocalServers;
import io.preconf.infra.redis.RedisStatusLog;
import io.preconf.wire.EvidenceCodec;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URL;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * reconcile end to end over HTTP against real Redis and PostgreSQL: statuses through {@code
 * status}, status messages on the chain's feed stream, and evidence re-verified from the bytes the
 * ledger stored.
 */
@QuarkusTest
@TestProfile(FinalityChain.Profile.class)
@QuarkusTestResource(LocalServers.class)
class FinalityHttpTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TestHTTPResource("/")
  URL url;

  @Inject RedisStatusLog feed;
  @Inject StatusQuery statuses;

  private JsonPath call(String function, Object body) {
    return given()
        .port(url.getPort())
        .contentType(ContentType.JSON)
        .header("X-Api-Key", "test-operator-key")
        .body(body)
        .post("/" + function)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  /** Preconfirms a fresh transaction on the test chain; returns the preconfirmation's JSON. */
  private Map<String, Object> promise(Long targetSlot) {
    Map<String, Object> body = new HashMap<>();
    body.put("transactions", List.of(Txs.transfer(GAMMA)));
    body.put("targetSlot", targetSlot);
    JsonPath r = call("preconfirm", body);
    assertThat(r.getList("preconfirmations")).as(r.prettify()).hasSize(1);
    return r.getMap("preconfirmations[0]");
  }

  private JsonPath reconcile(Map<String, Object> block) {
    return call("reconcile", block);
  }

  private JsonPath status(Object txHash) {
    return call("status", Map.of("chainId", GAMMA.value(), "txHash", txHash));
  }

  private Address signer() {
    return Address.fromHex(call("info", Map.of()).getString("signer"));
  }

  /** The statuses the feed announced for {@code txHash} after stream entry {@code afterId}. */
  private List<String> announced(String afterId, Object txHash) throws Exception {
    List<String> out = new java.util.ArrayList<>();
    for (RedisStatusLog.Entry e : feed.readAfter(GAMMA, afterId, 10_000).await().indefinitely()) {
      var data = JSON.readTree(e.json());
      if (data.get("txHash").asText().equals(txHash)) {
        out.add(data.get("status").asText());
      }
    }
    return out;
  }

  private List<String> statusesOf(JsonPath r, Object txHash) {
    return r.getList("changes.findAll { it.txHash == '" + txHash + "' }.status");
  }

  // ------------------------------------------------------------------ included, finalized

  @Test
  void includedTransactionIsIncludedWithItsFinalityRecordThenFinalizedAtDepth() throws Exception {
    Map<String, Object> p = promise(currentSlot() + 20);
    Object tx = p.get("txHash");
    String feedStart = feed.lastId(GAMMA).await().indefinitely();
    long n = freshHeight();
    String h0 = randomHash();

    JsonPath r = reconcile(block(n, h0, randomHash(), blockSlot(), randomHash(), (String) tx));

    assertThat(r.getString("outcome")).isEqualTo("APPLIED");
    assertThat(statusesOf(r, tx)).containsExactly("INCLUDED");
    JsonPath s = status(tx);
    assertThat(s.getString("status")).isEqualTo("INCLUDED");
    assertThat(s.getLong("finality.blockNumber")).isEqualTo(n);
    assertThat(s.getString("finality.blockHash")).isEqualTo(h0);
    assertThat(s.getInt("finality.index")).isEqualTo(1);

    String parent = h0;
    for (int i = 1; i <= FinalityChain.DEPTH; i++) {
      assertThat(status(tx).getString("status")).isEqualTo("INCLUDED");
      String h = randomHash();
      r = reconcile(block(n + i, h, parent, blockSlot()));
      assertThat(r.getString("outcome")).isEqualTo("APPLIED");
      parent = h;
    }

    assertThat(statusesOf(r, tx)).containsExactly("FINALIZED");
    s = status(tx);
    assertThat(s.getString("status")).isEqualTo("FINALIZED");
    assertThat(s.getLong("finality.blockNumber")).isEqualTo(n);
    assertThat(announced(feedStart, tx)).containsExactly("INCLUDED", "FINALIZED");
  }

  @Test
  void theSameBlockTwiceIsANoOp() throws Exception {
    Map<String, Object> p = promise(currentSlot() + 20);
    Object tx = p.get("txHash");
    String feedStart = feed.lastId(GAMMA).await().indefinitely();
    Map<String, Object> b =
        block(freshHeight(), randomHash(), randomHash(), blockSlot(), (String) tx);

    JsonPath first = reconcile(b);
    JsonPath again = reconcile(b);

    assertThat(statusesOf(first, tx)).containsExactly("INCLUDED");
    assertThat(again.getString("outcome")).isEqualTo("DUPLICATE");
    assertThat(again.getList("changes")).isEmpty();
    assertThat(again.getList("violations")).isEmpty();
    assertThat(status(tx).getString("status")).isEqualTo("INCLUDED");
    assertThat(announced(feedStart, tx)).containsExactly("INCLUDED");
  }

  // ------------------------------------------------------------------ violations

  @Test
  void notIncludedByTheTargetSlotIsAViolationWhoseStoredEvidenceVerifies() throws Exception {
    Map<String, Object> p = promise(null); // the next slot
    Object tx = p.get("txHash");
    long target = ((Number) p.get("targetSlot")).longValue();
    String feedStart = feed.lastId(GAMMA).await().indefinitely();
    awaitSlot(target); // a block one slot past the target is then no longer in the future
    long n = freshHeight();
    Map<String, Object> past = block(n, randomHash(), randomHash(), target + 1, randomHash());

    JsonPath r = reconcile(past);

    assertThat(r.getString("outcome")).isEqualTo("APPLIED");
    assertThat(statusesOf(r, tx)).containsExactly("VIOLATED");
    assertThat(r.getList("violations.findAll { it.txHash == '" + tx + "' }.kind"))
        .containsExactly("NOT_INCLUDED_BY_TARGET_SLOT");
    JsonPath s = status(tx);
    assertThat(s.getString("status")).isEqualTo("VIOLATED");
    assertThat(s.getString("violations[0].kind")).isEqualTo("NOT_INCLUDED_BY_TARGET_SLOT");
    assertThat(announced(feedStart, tx)).containsExactly("VIOLATED");

    Evidence e = storedEvidence(tx, ViolationKind.NOT_INCLUDED_BY_TARGET_SLOT);
    Preconfirmation promised = e.preconfirmations().get(0);
    assertThat(promised.id().toHex()).isEqualTo(p.get("id"));
    assertSignedBy(promised, signer());
    Block shown = e.blocks().get(0);
    assertThat(shown.number()).isEqualTo(n);
    assertThat(shown.slot()).isGreaterThan(promised.leaf().targetSlot());
    assertThat(shown.transactions()).doesNotContain(promised.txHash());
    assertThat(EvidenceVerifier.verify(e, Set.of(signer()))).isEmpty();
    // What status serves is the same evidence.
    assertThat(EvidenceCodec.fromJson(JSON.writeValueAsString(s.getMap("violations[0].evidence"))))
        .isEqualTo(e);
  }

  @Test
  void aLaterSequenceIncludedFirstIsAnOrderViolationWhoseStoredEvidenceVerifies() throws Exception {
    Map<String, Object> a = promise(currentSlot() + 20);
    Map<String, Object> b = promise(currentSlot() + 20);
    assertThat((Integer) b.get("sequence")).isGreaterThan((Integer) a.get("sequence"));
    long n = freshHeight();

    JsonPath r =
        reconcile(
            block(
                n,
                randomHash(),
                randomHash(),
                blockSlot(),
                (String) b.get("txHash"),
                (String) a.get("txHash")));

    assertThat(r.getList("violations.kind")).contains("ORDER_REVERSED");
    assertThat(status(a.get("txHash")).getString("status")).isEqualTo("VIOLATED");
    assertThat(status(b.get("txHash")).getString("status")).isEqualTo("INCLUDED");

    Evidence e = storedEvidence(a.get("txHash"), ViolationKind.ORDER_REVERSED);
    Preconfirmation overtaken = e.preconfirmations().get(0);
    Preconfirmation ahead = e.preconfirmations().get(1);
    assertThat(overtaken.id().toHex()).isEqualTo(a.get("id"));
    assertThat(ahead.id().toHex()).isEqualTo(b.get("id"));
    assertSignedBy(overtaken, signer());
    assertSignedBy(ahead, signer());
    assertThat(overtaken.sequence()).isLessThan(ahead.sequence());
    Block shown = e.blocks().get(0);
    assertThat(shown.transactions().indexOf(ahead.txHash()))
        .isLessThan(shown.transactions().indexOf(overtaken.txHash()));
    assertThat(EvidenceVerifier.verify(e, Set.of(signer()))).isEmpty();
  }

  @Test
  void anOrderReversalAcrossBlocksCarriesBothBlocksInItsEvidence() {
    Map<String, Object> a = promise(currentSlot() + 20);
    Map<String, Object> b = promise(currentSlot() + 20);
    long n = freshHeight();
    String first = randomHash();
    reconcile(block(n, first, randomHash(), blockSlot(), (String) b.get("txHash")));

    JsonPath r =
        reconcile(block(n + 1, randomHash(), first, blockSlot(), (String) a.get("txHash")));

    assertThat(statusesOf(r, a.get("txHash"))).containsExactly("INCLUDED", "VIOLATED");
    Evidence e = storedEvidence(a.get("txHash"), ViolationKind.ORDER_REVERSED);
    assertThat(e.blocks()).extracting(Block::number).containsExactlyInAnyOrder(n, n + 1);
    assertThat(e.inclusions()).hasSize(2);
    assertThat(EvidenceVerifier.verify(e, Set.of(signer()))).isEmpty();
  }

  @Test
  void aReorgRetractsAViolationAndAReorgBackRestoresIt() throws Exception {
    Map<String, Object> p = promise(null);
    String tx = (String) p.get("txHash");
    long target = ((Number) p.get("targetSlot")).longValue();
    awaitSlot(target);
    long n = freshHeight();
    String base = randomHash();
    String missed = randomHash();
    Map<String, Object> missing = block(n + 1, missed, base, target + 1, randomHash());
    reconcile(block(n, base, randomHash(), target));
    reconcile(missing);
    assertThat(status(tx).getString("status")).isEqualTo("VIOLATED");

    JsonPath r = reconcile(block(n + 1, randomHash(), base, target, tx));

    assertThat(r.getList("reorg.orphaned")).containsExactly(missed);
    assertThat(statusesOf(r, tx)).containsExactly("PRECONFIRMED", "INCLUDED");
    JsonPath s = status(tx);
    assertThat(s.getString("status")).isEqualTo("INCLUDED");
    assertThat(s.getList("violations.retracted")).containsExactly(true);

    // The orphaned block comes back: the inclusion is undone and the violation found again.
    r = reconcile(missing);

    assertThat(r.getString("outcome")).isEqualTo("APPLIED");
    assertThat(statusesOf(r, tx)).containsExactly("PRECONFIRMED", "VIOLATED");
    s = status(tx);
    assertThat(s.getString("status")).isEqualTo("VIOLATED");
    assertThat(s.getMap("finality")).isNull();
    assertThat(s.getList("violations.retracted")).containsExactly(true, false);
    assertThat(
            EvidenceVerifier.verify(
                storedEvidence(tx, ViolationKind.NOT_INCLUDED_BY_TARGET_SLOT), Set.of(signer())))
        .isEmpty();
  }

  /** The one active violation of this kind stored for {@code txHash}, read from its own bytes. */
  private Evidence storedEvidence(Object txHash, ViolationKind kind) {
    List<RecordedViolation> stored =
        statuses
            .find(GAMMA, Hash32.fromHex((String) txHash))
            .await()
            .indefinitely()
            .orElseThrow()
            .violations()
            .stream()
            .filter(v -> v.kind() == kind && !v.retracted())
            .toList();
    assertThat(stored).hasSize(1);
    return EvidenceCodec.fromJson(stored.get(0).evidenceJson());
  }

  /** The checks a third party makes with standard primitives: id, proof, EIP-712 signature. */
  private static void assertSignedBy(Preconfirmation p, Address signer) {
    assertThat(p.leaf().hash()).isEqualTo(p.id());
    assertThat(MerkleTree.verify(p.commitment().root(), p.id(), p.proof())).isTrue();
    Hash32 digest =
        CommitmentTypedData.digest(
            p.commitment().root(),
            p.commitment().issuedAt(),
            p.commitment().expiresAt(),
            p.commitment().atomic());
    assertThat(EcdsaSignatures.recover(digest, p.commitment().signature())).contains(signer);
  }

  // ------------------------------------------------------------------ reorgs

  @Test
  void aReorgOrphansTheIncludingBlockAndTheReplacementBranchIncludesTheTransactionLater()
      throws Exception {
    Map<String, Object> p = promise(currentSlot() + 20);
    String tx = (String) p.get("txHash");
    String feedStart = feed.lastId(GAMMA).await().indefinitely();
    long n = freshHeight();
    String base = randomHash();
    String orphan = randomHash();
    String replacement = randomHash();
    String later = randomHash();
    reconcile(block(n, base, randomHash(), blockSlot()));
    reconcile(block(n + 1, orphan, base, blockSlot(), tx));
    assertThat(status(tx).getString("finality.blockHash")).isEqualTo(orphan);

    JsonPath r = reconcile(block(n + 1, replacement, base, blockSlot(), randomHash()));

    assertThat(r.getString("outcome")).isEqualTo("APPLIED");
    assertThat(r.getLong("reorg.height")).isEqualTo(n + 1);
    assertThat(r.getString("reorg.replaced")).isEqualTo(orphan);
    assertThat(r.getList("reorg.orphaned")).containsExactly(orphan);
    assertThat(statusesOf(r, tx)).containsExactly("PRECONFIRMED");
    JsonPath s = status(tx);
    assertThat(s.getString("status")).isEqualTo("PRECONFIRMED");
    assertThat(s.getMap("finality")).isNull();

    r = reconcile(block(n + 2, later, replacement, blockSlot(), randomHash(), tx));

    assertThat(statusesOf(r, tx)).containsExactly("INCLUDED");
    s = status(tx);
    assertThat(s.getString("status")).isEqualTo("INCLUDED");
    assertThat(s.getLong("finality.blockNumber")).isEqualTo(n + 2);
    assertThat(s.getString("finality.blockHash")).isEqualTo(later);
    assertThat(s.getInt("finality.index")).isEqualTo(1);
    assertThat(announced(feedStart, tx)).containsExactly("INCLUDED", "PRECONFIRMED", "INCLUDED");
  }

  @Test
  void aConflictingBlockAtAFinalHeightIsRefusedWithACode() {
    long n = freshHeight();
    List<String> hashes = new java.util.ArrayList<>();
    String parent = randomHash();
    // Blocks n .. n+DEPTH+1: block n+1 ends DEPTH below the head, which makes it final.
    for (int i = 0; i <= FinalityChain.DEPTH + 1; i++) {
      String h = randomHash();
      assertThat(reconcile(block(n + i, h, parent, blockSlot())).getString("outcome"))
          .isEqualTo("APPLIED");
      hashes.add(h);
      parent = h;
    }

    JsonPath r = reconcile(block(n + 1, randomHash(), "0x" + "00".repeat(32), blockSlot()));
    assertThat(r.getString("outcome")).isEqualTo("REFUSED");
    assertThat(r.getString("error.reason")).isEqualTo("UNKNOWN_PARENT");

    r = reconcile(block(n + 1, randomHash(), hashes.get(0), blockSlot()));
    assertThat(r.getString("outcome")).isEqualTo("REFUSED");
    assertThat(r.getString("error.code")).isEqualTo("VALIDATION_FAILED");
    assertThat(r.getString("error.reason")).isEqualTo("REORG_BEYOND_FINALITY");
    assertThat(r.getString("error.message")).contains(hashes.get(1));
  }

  // ------------------------------------------------------------------ refusals

  @Test
  void malformedOrUnservedBlocksGetCodedErrorsNamingTheValue() {
    Map<String, Object> good = block(freshHeight(), randomHash(), randomHash(), blockSlot());

    Map<String, Object> unserved = new HashMap<>(good);
    unserved.put("chainId", 5);
    JsonPath r = reconcile(unserved);
    assertThat(r.getString("outcome")).isEqualTo("REFUSED");
    assertThat(r.getString("error.reason")).isEqualTo("UNSUPPORTED_CHAIN");
    assertThat(r.getString("error.message")).contains("chain id 5");

    Map<String, Object> shortHash = new HashMap<>(good);
    shortHash.put("hash", "0x1234");
    r = reconcile(shortHash);
    assertThat(r.getString("error.reason")).isEqualTo("WRONG_LENGTH");
    assertThat(r.getString("error.message")).contains("hash").contains("2 bytes");

    Map<String, Object> badTx = new HashMap<>(good);
    badTx.put("transactions", List.of(randomHash(), 7));
    r = reconcile(badTx);
    assertThat(r.getString("error.reason")).isEqualTo("MALFORMED_REQUEST");
    assertThat(r.getString("error.message")).contains("transactions[1]");

    Map<String, Object> textNumber = new HashMap<>(good);
    textNumber.put("number", "7");
    r = reconcile(textNumber);
    assertThat(r.getString("error.message")).contains("\"number\"").contains("7");

    Map<String, Object> typo = new HashMap<>(good);
    typo.put("parenthash", randomHash());
    assertThat(reconcile(typo).getString("error.message")).contains("\"parenthash\"");

    Map<String, Object> noSlot = new HashMap<>(good);
    noSlot.remove("slot");
    r = reconcile(noSlot);
    assertThat(r.getString("error.reason")).isEqualTo("MISSING_FIELD");
    assertThat(r.getString("error.message")).contains("slot").contains("timestamp");

    Map<String, Object> future = new HashMap<>(good);
    future.put("slot", currentSlot() + 50);
    assertThat(reconcile(future).getString("error.reason")).isEqualTo("SLOT_IN_FUTURE");
  }
}
