package io.preconf.functions;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.preconf.core.compat.BoltSignatures;
import io.preconf.core.crypto.EcdsaSigner;
import io.preconf.core.crypto.Keccak;
import io.preconf.core.crypto.Secp256k1Backend;
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
import io.restassured.specification.RequestSpecification;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bolt's commitments RPC on the JSON-RPC front door, requests built from Bolt's published shapes
 * and signed as Bolt's users sign them, against the real Redis, PostgreSQL and an anvil node: the
 * commitment recovers to the engine's signer, the engine's preconfirmations stand beside it, and
 * each of Bolt's error codes is answered with nothing promised.
 */
@QuarkusTest
@TestProfile(AnvilRollup.Profile.class)
@QuarkusTestResource(LocalServers.class)
class BoltRpcHttpTest {
  private static final ChainId CHAIN = AnvilRollup.CHAIN;

  @TestHTTPResource("/")
  URL url;

  private JsonRpcClient rpc;

  @BeforeEach
  void node() {
    AnvilRollup.node.ensureRunning();
    rpc =
        JsonRpcClient.forRollupNode(AnvilRollup.node.url(), CHAIN.value(), Duration.ofSeconds(10));
  }

  private JsonPath call(String header, String method, Object... params) {
    return post("/rpc/" + CHAIN.value(), header, body(method, params));
  }

  private JsonPath post(String path, String header, String body) {
    RequestSpecification r = given().port(url.getPort()).contentType(ContentType.JSON).body(body);
    if (header != null) {
      r = r.header("X-Bolt-Signature", header);
    }
    return new JsonPath(r.post(path).then().statusCode(200).extract().asString());
  }

  private static String body(String method, Object... params) {
    try {
      return new ObjectMapper()
          .writeValueAsString(
              Map.of("jsonrpc", "2.0", "id", 1, "method", method, "params", List.of(params)));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** {@code X-Bolt-Signature} as Bolt's users write it: their address, then r || s || v. */
  static String header(EcdsaSigner user, List<Bytes> txs, long slot) {
    return user.address().toHex() + ":" + user.sign(digest(txs, slot)).toHex();
  }

  static Hash32 digest(List<Bytes> txs, long slot) {
    return BoltSignatures.digest(
        txs.stream().map(tx -> Keccak.hash(tx.unsafeArray())).toList(), slot);
  }

  private static Map<String, Object> inclusion(long slot, List<Bytes> txs) {
    return Map.of("slot", slot, "txs", txs.stream().map(Bytes::toHex).toList());
  }

  private Address engineSigner() {
    return Address.fromHex(call(null, "preconf_info").getString("result.signer"));
  }

  @Test
  void anInclusionIsCommittedBySignerOfTheEngineWithItsPreconfirmationsBeside() {
    EcdsaSigner sender = Senders.funded(rpc);
    List<Bytes> txs =
        List.of(Senders.transfer(CHAIN, sender, 0, 1), Senders.transfer(CHAIN, sender, 1, 1));
    long slot = AnvilRollup.currentSlot() + 20;

    JsonPath r = call(header(sender, txs, slot), "bolt_requestInclusion", inclusion(slot, txs));

    assertThat(r.getLong("result.slot")).as(r.prettify()).isEqualTo(slot);
    assertThat(r.getList("result.txs")).containsExactly(txs.get(0).toHex(), txs.get(1).toHex());
    Bytes signature = Bytes.fromHex("signature", r.getString("result.signature"));
    assertThat(signature.get(64)).isIn((byte) 0, (byte) 1);
    assertThat(
            BoltSignatures.recover(digest(txs, slot), signature, Secp256k1Backend.bouncyCastle()))
        .contains(engineSigner());
    assertThat(r.getList("result.preconfirmations.txHash"))
        .containsExactly(
            Keccak.hash(txs.get(0).unsafeArray()).toHex(),
            Keccak.hash(txs.get(1).unsafeArray()).toHex());
    assertThat(r.getList("result.preconfirmations.targetSlot", Long.class)).containsOnly(slot);
    assertThat(r.getBoolean("result.preconfirmations[0].commitment.atomic")).isTrue();
  }

  @Test
  void metadataAndVersionAreTheRollupsInBoltsShape() {
    JsonPath m = call(null, "bolt_metadata");
    assertThat(m.getLong("result.max_committed_gas_per_slot")).as(m.prettify()).isPositive();
    assertThat(m.getLong("result.min_inclusion_profit")).isEqualTo(1_000_000);
    assertThat(m.getInt("result.max_account_states_size")).isPositive();
    String version = call(null, "bolt_getVersion").getString("result");
    assertThat(version).startsWith("preconf-engine-v");
    assertThat(m.getString("result.version")).isEqualTo(version);
  }

  static Stream<Arguments> badRequests() {
    EcdsaSigner user = Senders.fresh();
    long slot = AnvilRollup.currentSlot() + 20;
    List<Bytes> txs = List.of(BAD_TX);
    String good = header(user, txs, slot);
    String signature = good.substring(good.indexOf(':') + 1);
    String highV = signature.substring(0, signature.length() - 2) + "1d";
    Bytes otherChain = Senders.transfer(ChainId.of(167000), user, 0, 1);
    return Stream.of(
        bad("no header", null, inclusion(slot, txs), -32002, "x-bolt-signature"),
        bad("header without a colon", "0x12", inclusion(slot, txs), -32007, "\"0x12\""),
        bad(
            "header with a bad address",
            "0x12:" + signature,
            inclusion(slot, txs),
            -32007,
            "address"),
        bad(
            "signature not hex",
            user.address().toHex() + ":0xzz",
            inclusion(slot, txs),
            -32003,
            "signature"),
        bad(
            "signature of 64 bytes",
            user.address().toHex() + ":0x" + "11".repeat(64),
            inclusion(slot, txs),
            -32003,
            "got 64"),
        bad(
            "signature with v = 29",
            user.address().toHex() + ":" + highV,
            inclusion(slot, txs),
            -32004,
            "no key signed"),
        bad(
            "signed by someone else",
            Senders.fresh().address().toHex() + ":" + signature,
            inclusion(slot, txs),
            -32003,
            user.address().toHex()),
        bad("signed for another slot", good, inclusion(slot + 1, txs), -32003, "recovers to"),
        bad("params as a list", good, List.of(slot), -32600, "params[0]"),
        bad("slot as text", good, Map.of("slot", "0x10", "txs", List.of()), -32600, "\"0x10\""),
        bad("no txs", good, Map.of("slot", slot), -32600, "txs"),
        bad("empty txs", good, Map.of("slot", slot, "txs", List.of()), -32600, "[]"),
        bad("tx not hex", good, Map.of("slot", slot, "txs", List.of("0xqq")), -32600, "txs[0]"),
        bad("slot in the past", header(user, txs, 5), inclusion(5, txs), -32005, "targetSlot 5"),
        bad(
            "tx of another chain",
            header(user, List.of(otherChain), slot),
            inclusion(slot, List.of(otherChain)),
            -32006,
            "signed for chain 167000"));
  }

  private static final Bytes BAD_TX = Senders.transfer(CHAIN, Senders.fresh(), 0, 1);

  private static Arguments bad(String name, String header, Object param, int code, String says) {
    return Arguments.of(name, header, param, code, says);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  void aBadRequestGetsBoltsCodeNamingTheBadValueAndPromisesNothing(
      String name, String header, Object param, int code, String says) {
    JsonPath r = call(header, "bolt_requestInclusion", param);

    assertThat(r.getInt("error.code")).as(name + ": " + r.prettify()).isEqualTo(code);
    assertThat(r.getString("error.message")).contains(says);
    JsonPath status =
        call(null, "preconf_getPreconfirmation", Keccak.hash(BAD_TX.unsafeArray()).toHex());
    assertThat(status.getBoolean("result.found")).as(status.prettify()).isFalse();
  }
}
