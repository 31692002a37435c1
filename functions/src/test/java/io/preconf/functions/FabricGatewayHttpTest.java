package io.preconf.functions;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.preconf.core.compat.FabricCommitments;
import io.preconf.core.compat.FabricCommitments.InclusionPayload;
import io.preconf.core.compat.FabricCommitments.Request;
import io.preconf.core.crypto.EcdsaSignatures;
import io.preconf.core.crypto.EcdsaSigner;
import io.preconf.core.crypto.Keccak;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.preconf.infra.LocalServers;
import io.preconf.infra.rpc.JsonRpcClient;
import io.preconf.infra.rpc.Senders;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.math.BigInteger;
import java.net.URL;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The eth-fabric Commitments API, as the reference gateway's JSON-RPC methods on {@code
 * /rpc/<chainId>} and as the spec's REST routes, with requests built from the published shapes,
 * against the real Redis, PostgreSQL and an anvil node: the commitment's signature recovers to the
 * engine's signer in both forms, {@code commitmentResult} answers it again by request hash, {@code
 * slots} lists the rollup's next slots, {@code fee} quotes from the node's gas price, and each bad
 * request is refused, coded, with nothing promised.
 */
@QuarkusTest
@TestProfile(AnvilRollup.Profile.class)
@QuarkusTestResource(LocalServers.class)
class FabricGatewayHttpTest {
  private static final ChainId CHAIN = AnvilRollup.CHAIN;
  private static final String REST = "/commitments/v0/gateway/";

  /** The defaults of preconf.fabric.*: mainnet's chain id and fork, no signing id. */
  private static final long CONSENSUS_CHAIN = 1;

  private static final Bytes FORK = Bytes.fromHex("fork", "0x00000000");
  private static final Hash32 SIGNING_ID = Hash32.ZERO;

  @TestHTTPResource("/")
  URL url;

  private JsonRpcClient rpc;

  @BeforeEach
  void node() {
    AnvilRollup.node.ensureRunning();
    rpc =
        JsonRpcClient.forRollupNode(AnvilRollup.node.url(), CHAIN.value(), Duration.ofSeconds(10));
  }

  private static String json(Object value) {
    try {
      return new ObjectMapper().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private JsonPath call(String method, Object... params) {
    String body =
        json(Map.of("jsonrpc", "2.0", "id", 3, "method", method, "params", List.of(params)));
    return new JsonPath(
        given()
            .port(url.getPort())
            .contentType(ContentType.JSON)
            .body(body)
            .post("/rpc/" + CHAIN.value())
            .then()
            .statusCode(200)
            .extract()
            .asString());
  }

  private Response rest(String method, String path, String body) {
    var r = given().port(url.getPort()).contentType(ContentType.JSON);
    if (body != null) {
      r = r.body(body);
    }
    return r.request(method, REST + path);
  }

  private static Map<String, Object> request(long type, String payload, String slasher) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("commitment_type", type);
    m.put("payload", payload);
    m.put("slasher", slasher);
    return m;
  }

  private static Map<String, Object> inclusion(long slot, Bytes tx, Address slasher) {
    return request(1, new InclusionPayload(slot, tx).encode().toHex(), slasher.toHex());
  }

  private Address engineSigner() {
    return Address.fromHex(call("preconf_info").getString("result.signer"));
  }

  private static Request asRequest(Map<String, Object> m) {
    return new Request(
        ((Number) m.get("commitment_type")).longValue(),
        Bytes.fromHex("payload", (String) m.get("payload")),
        Address.fromHex((String) m.get("slasher")));
  }

  /** The reference form's signature: r and s as quantities, yParity; over the signing root. */
  private static Address referenceSigner(JsonPath r, String at, Request request) {
    Hash32 hash = FabricCommitments.requestHash(request);
    Hash32 root =
        FabricCommitments.signingRoot(
            FabricCommitments.messageHash(request, hash), SIGNING_ID, -2, CONSENSUS_CHAIN, FORK);
    byte[] sig = new byte[65];
    word(r.getString(at + "signature.r"), sig, 0);
    word(r.getString(at + "signature.s"), sig, 32);
    sig[64] = (byte) (27 + Integer.parseInt(r.getString(at + "signature.yParity").substring(2)));
    return EcdsaSignatures.recover(root, Bytes.wrap(sig)).orElseThrow();
  }

  private static void word(String quantity, byte[] out, int at) {
    byte[] v = new BigInteger(quantity.substring(2), 16).toByteArray();
    int n = Math.min(v.length, 32);
    System.arraycopy(v, v.length - n, out, at + 32 - n, n);
  }

  @Test
  void aRequestIsCommittedInTheReferenceFormAndAnsweredAgainByItsHash() {
    EcdsaSigner sender = Senders.funded(rpc);
    Bytes tx = Senders.transfer(CHAIN, sender, 0, 1);
    long slot = AnvilRollup.currentSlot() + 20;
    Map<String, Object> req = inclusion(slot, tx, Senders.fresh().address());
    Request request = asRequest(req);

    JsonPath r = call("commitmentRequest", req);

    String hash = FabricCommitments.requestHash(request).toHex();
    assertThat(r.getString("result.commitment.request_hash")).as(r.prettify()).isEqualTo(hash);
    assertThat(r.getString("result.commitment.payload")).isEqualTo(req.get("payload"));
    assertThat(r.getString("result.commitment.slasher")).isEqualTo(req.get("slasher"));
    assertThat(r.getLong("result.commitment.commitment_type")).isEqualTo(1);
    assertThat(r.getString("result.nonce")).isEqualTo("18446744073709551614");
    assertThat(r.getString("result.signing_id")).isEqualTo(SIGNING_ID.toHex());
    assertThat(r.getString("result.signature.v"))
        .isEqualTo(r.getString("result.signature.yParity"));
    assertThat(referenceSigner(r, "result.", request)).isEqualTo(engineSigner());
    assertThat(r.getString("result.preconfirmation.txHash"))
        .isEqualTo(Keccak.hash(tx.unsafeArray()).toHex());
    assertThat(r.getLong("result.preconfirmation.targetSlot")).isEqualTo(slot);

    JsonPath again = call("commitmentResult", hash);
    assertThat(again.getMap("result")).as(again.prettify()).isEqualTo(r.getMap("result"));

    JsonPath spec =
        new JsonPath(
            rest("GET", "commitmentResult/" + hash, null)
                .then()
                .statusCode(200)
                .extract()
                .asString());
    Hash32 message = FabricCommitments.messageHash(request, FabricCommitments.requestHash(request));
    assertThat(EcdsaSignatures.recover(message, Bytes.fromHex("sig", spec.getString("signature"))))
        .contains(engineSigner());
    assertThat(spec.getString("commitment.request_hash")).isEqualTo(hash);
  }

  @Test
  void theRestRoutesAnswerInTheSpecsFormAndAnUnknownHashIs404() {
    EcdsaSigner sender = Senders.funded(rpc);
    Bytes tx = Senders.transfer(CHAIN, sender, 0, 1);
    Map<String, Object> req =
        inclusion(AnvilRollup.currentSlot() + 20, tx, Senders.fresh().address());
    Request request = asRequest(req);

    Response r = rest("POST", "commitmentRequest", json(req));

    assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
    JsonPath signed = r.jsonPath();
    Bytes signature = Bytes.fromHex("sig", signed.getString("signature"));
    assertThat(signature.size()).isEqualTo(65);
    assertThat(signature.get(64)).isIn((byte) 27, (byte) 28);
    Hash32 hash = FabricCommitments.requestHash(request);
    assertThat(EcdsaSignatures.recover(FabricCommitments.messageHash(request, hash), signature))
        .contains(engineSigner());
    Response again = rest("GET", "commitmentResult/" + hash.toHex(), null);
    assertThat(again.jsonPath().getString("signature")).isEqualTo(signed.getString("signature"));

    Response unknown = rest("GET", "commitmentResult/0x" + "12".repeat(32), null);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.jsonPath().getString("error.reason")).isEqualTo("NOT_FOUND");
    assertThat(unknown.jsonPath().getString("error.message")).contains("0x" + "12".repeat(32));
  }

  @Test
  void slotsListTheRollupsNextSlotsOfferingInclusion() {
    long current = AnvilRollup.currentSlot();
    JsonPath mine = call("slots");

    List<Long> numbers = mine.getList("result.slots.slot", Long.class);
    assertThat(numbers).as(mine.prettify()).hasSize(64);
    assertThat(numbers.get(0)).isBetween(current + 1, current + 3);
    assertThat(mine.getList("result.slots[0].offerings.chain_id", Long.class))
        .containsExactly(CHAIN.value());
    assertThat(mine.getList("result.slots[0].offerings[0].commitment_types", Integer.class))
        .containsExactly(1);

    JsonPath all = rest("GET", "slots", null).then().statusCode(200).extract().jsonPath();
    assertThat(all.getList("slots.offerings.flatten().chain_id", Long.class))
        .contains(CHAIN.value(), 167000L, 167001L);
  }

  @Test
  void theFeeIsTheNodesGasPriceTimesTheGasLimitInGwei() {
    Bytes tx = Senders.transfer(CHAIN, Senders.fresh(), 0, 1);
    Map<String, Object> req =
        inclusion(AnvilRollup.currentSlot() + 20, tx, Senders.fresh().address());
    Hash32 hash = FabricCommitments.requestHash(asRequest(req));

    JsonPath r = call("fee", req);
    BigInteger gasPrice = new BigInteger(call("eth_gasPrice").getString("result").substring(2), 16);

    String payload = r.getString("result.fee_payload");
    assertThat(payload).as(r.prettify()).startsWith(hash.toHex()).hasSize(2 + 128);
    long gwei = new BigInteger(payload.substring(66), 16).longValue();
    long expected =
        gasPrice.multiply(BigInteger.valueOf(21_000)).divide(BigInteger.TEN.pow(9)).longValue();
    assertThat(gwei).isBetween(expected / 2, expected * 2).isPositive();
    assertThat(r.getInt("result.commitment_type")).isEqualTo(1);
    JsonPath rest = rest("POST", "fee", json(req)).then().statusCode(200).extract().jsonPath();
    assertThat(rest.getString("payload")).startsWith(hash.toHex());
    JsonPath status = call("preconf_getPreconfirmation", Keccak.hash(tx.unsafeArray()).toHex());
    assertThat(status.getBoolean("result.found")).isFalse();
  }

  private static final Bytes BAD_TX = Senders.transfer(CHAIN, Senders.fresh(), 0, 1);

  static Stream<Arguments> badRequests() {
    long slot = AnvilRollup.currentSlot() + 20;
    String slasher = Senders.fresh().address().toHex();
    String good = new InclusionPayload(slot, BAD_TX).encode().toHex();
    Bytes otherChain = Senders.transfer(ChainId.of(167000), Senders.fresh(), 0, 1);
    Bytes unserved = Senders.transfer(ChainId.of(424242), Senders.fresh(), 0, 1);
    return Stream.of(
        bad("request as a list", List.of(1), "got [1]"),
        bad("no commitment_type", Map.of("payload", good, "slasher", slasher), "commitment_type"),
        bad("type as text", request(1, good, slasher), "commitment_type", "\"1\""),
        bad("type 2", request(2, good, slasher), "commitment_type 2 is not offered"),
        bad("payload not hex", request(1, "0xzz", slasher), "payload"),
        bad("payload empty", request(1, "0x", slasher), "payload is empty"),
        bad("slasher short", request(1, good, "0x1234"), "slasher"),
        bad("slasher zero", request(1, good, "0x" + "00".repeat(20)), "zero address"),
        bad("payload cut", request(1, good.substring(0, 200), slasher), "bytes"),
        bad(
            "slot 0",
            request(1, new InclusionPayload(0, BAD_TX).encode().toHex(), slasher),
            "slot is 0"),
        bad(
            "slot in the past",
            request(1, new InclusionPayload(5, BAD_TX).encode().toHex(), slasher),
            "targetSlot 5"),
        bad(
            "tx not a transaction",
            request(
                1,
                new InclusionPayload(slot, Bytes.wrap(new byte[] {1, 2})).encode().toHex(),
                slasher),
            "signed_tx"),
        bad(
            "tx of an unserved chain",
            request(1, new InclusionPayload(slot, unserved).encode().toHex(), slasher),
            "424242"),
        bad(
            "tx of another chain than the endpoint's",
            request(1, new InclusionPayload(slot, otherChain).encode().toHex(), slasher),
            "signed for chain 167000"));
  }

  private static Arguments bad(String name, Object request, String says) {
    return Arguments.of(name, request, says);
  }

  private static Arguments bad(
      String name, Map<String, Object> request, String field, String says) {
    Map<String, Object> m = new LinkedHashMap<>(request);
    m.put(field, "1");
    return Arguments.of(name, m, says);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  void aBadRequestIsRefusedCodedNamingTheBadValueAndPromisesNothing(
      String name, Object request, String says) {
    JsonPath r = call("commitmentRequest", request);

    assertThat(r.getInt("error.code")).as(name + ": " + r.prettify()).isEqualTo(-32602);
    assertThat(r.getString("error.message")).contains(says);
    assertThat(r.getString("error.data.code")).isNotEmpty();
    assertThat(r.getString("error.data.reason")).isNotEmpty();
    if (!name.equals("slot in the past")) {
      // A quote reads the request as commitmentRequest does; only the engine judges the slot.
      JsonPath fee = call("fee", request);
      assertThat(fee.getInt("error.code")).as(name + ": " + fee.prettify()).isEqualTo(-32602);
    }
    JsonPath status = call("preconf_getPreconfirmation", Keccak.hash(BAD_TX.unsafeArray()).toHex());
    assertThat(status.getBoolean("result.found")).as(status.prettify()).isFalse();
  }

  @Test
  void aBadRestRequestIs400WithTheCodedError() {
    Response notJson = rest("POST", "commitmentRequest", "{\"commitment_type\":");
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(notJson.jsonPath().getString("error.message")).contains("not valid JSON");
    Response badHash = rest("GET", "commitmentResult/0x12", null);
    assertThat(badHash.statusCode()).isEqualTo(400);
    assertThat(badHash.jsonPath().getString("error.message")).contains("0x12");
    Response typeTwo =
        rest(
            "POST",
            "commitmentRequest",
            json(request(2, "0x12", Senders.fresh().address().toHex())));
    assertThat(typeTwo.statusCode()).isEqualTo(400);
    assertThat(typeTwo.jsonPath().getString("error.reason")).isEqualTo("OUT_OF_RANGE");
  }
}
