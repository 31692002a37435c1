package io.preconf.functions;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.preconf.core.crypto.EcdsaSigner;
import io.preconf.core.crypto.Keccak;
import io.preconf.core.node.SendOutcome;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import io.preconf.infra.LocalServers;
import io.preconf.infra.rpc.JsonRpcClient;
import io.preconf.infra.rpc.JsonRpcRollupNode;
import io.preconf.infra.rpc.Senders;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.net.URL;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Ethereum JSON-RPC front door ({@code POST /rpc/<chainId>}) as a wallet uses it, against the
 * real Redis, PostgreSQL and an anvil node of its own: sending preconfirms, resubmitting answers
 * the hash again, the pending nonce counts open promises, reads are the node's, and malformed calls
 * are answered with JSON-RPC's codes and consume nothing.
 */
@QuarkusTest
@TestProfile(AnvilRollup.Profile.class)
@QuarkusTestResource(LocalServers.class)
class EthereumRpcHttpTest {
  private static final ChainId CHAIN = AnvilRollup.CHAIN;
  private static final Duration CALL = Duration.ofSeconds(10);

  @TestHTTPResource("/")
  URL url;

  private JsonRpcClient rpc;
  private JsonRpcRollupNode node;

  @BeforeEach
  void node() {
    AnvilRollup.node.ensureRunning();
    rpc = JsonRpcClient.forRollupNode(AnvilRollup.node.url(), CHAIN.value(), CALL);
    node = new JsonRpcRollupNode(rpc);
  }

  private String post(String path, String body) {
    return given()
        .port(url.getPort())
        .contentType(ContentType.JSON)
        .body(body)
        .post(path)
        .then()
        .statusCode(200)
        .extract()
        .asString();
  }

  private JsonPath call(String method, Object... params) {
    String body =
        toJson(Map.of("jsonrpc", "2.0", "id", 7, "method", method, "params", List.of(params)));
    return new JsonPath(post("/rpc/" + CHAIN.value(), body));
  }

  private static String toJson(Object value) {
    try {
      return new ObjectMapper().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private long pendingNonce(EcdsaSigner sender) {
    JsonPath r = call("eth_getTransactionCount", sender.address().toHex(), "pending");
    return Long.parseLong(r.getString("result").substring(2), 16);
  }

  @Test
  void sendingPreconfirmsAndAResubmissionReturnsTheHashAgain() {
    EcdsaSigner sender = Senders.funded(rpc);
    Bytes tx = Senders.transfer(CHAIN, sender, 0, 1);

    JsonPath first = call("eth_sendRawTransaction", tx.toHex());
    JsonPath again = call("eth_sendRawTransaction", tx.toHex());

    assertThat(first.getString("result")).as(first.prettify()).startsWith("0x").hasSize(66);
    assertThat(again.getString("result")).isEqualTo(first.getString("result"));
    assertThat(first.getInt("id")).isEqualTo(7);
    JsonPath status = call("preconf_getPreconfirmation", first.getString("result"));
    assertThat(status.getString("result.txHash")).isEqualTo(first.getString("result"));
    assertThat(status.getString("result.sender")).isEqualTo(sender.address().toHex());
  }

  @Test
  void thePendingNonceCountsThePromisesTheNodeHasNotSeen() {
    EcdsaSigner sender = Senders.funded(rpc);
    assertThat(pendingNonce(sender)).isZero();
    for (int i = 0; i < 3; i++) {
      long nonce = pendingNonce(sender);
      assertThat(nonce).isEqualTo(i);
      JsonPath sent =
          call("eth_sendRawTransaction", Senders.transfer(CHAIN, sender, nonce, 1).toHex());
      assertThat(sent.getString("result")).as(sent.prettify()).isNotNull();
    }
    assertThat(pendingNonce(sender)).isEqualTo(3);
    JsonPath latest = call("eth_getTransactionCount", sender.address().toHex(), "latest");
    assertThat(latest.getString("result")).isEqualTo("0x0");
  }

  @Test
  void aRefusalCarriesTheCodedErrorAsData() {
    EcdsaSigner sender = Senders.funded(rpc);
    Bytes first = Senders.transfer(CHAIN, sender, 0, 1);
    Bytes sameNonce = Senders.transfer(CHAIN, sender, 0, 2);
    call("eth_sendRawTransaction", first.toHex());

    JsonPath refused = call("eth_sendRawTransaction", sameNonce.toHex());

    assertThat(refused.getInt("error.code")).as(refused.prettify()).isEqualTo(-32000);
    assertThat(refused.getString("error.data.code")).isEqualTo("INVALID_TRANSACTION");
    assertThat(refused.getString("error.data.reason")).isEqualTo("NONCE_CONFLICT");
    assertThat(refused.getString("error.message"))
        .isEqualTo(refused.getString("error.data.message"));
  }

  @Test
  void preconfSendAnswersExactlyAsPreconfirm() {
    EcdsaSigner sender = Senders.funded(rpc);
    List<String> txs =
        List.of(
            Senders.transfer(CHAIN, sender, 0, 1).toHex(),
            Senders.transfer(CHAIN, sender, 1, 1).toHex());

    JsonPath r = call("preconf_sendRawTransaction", txs, Map.of("atomic", true));

    assertThat(r.getList("result.preconfirmations")).as(r.prettify()).hasSize(2);
    assertThat(r.getBoolean("result.preconfirmations[0].commitment.atomic")).isTrue();
    assertThat(r.getList("result.rejected")).isEmpty();
    JsonPath status =
        FunctionCall.post(
            url,
            "status",
            Map.of(
                "chainId",
                CHAIN.value(),
                "txHash",
                r.getString("result.preconfirmations[1].txHash")));
    assertThat(status.getString("id")).isEqualTo(r.getString("result.preconfirmations[1].id"));
  }

  @Test
  void readsAreTheNodesAnswers() throws Exception {
    EcdsaSigner sender = Senders.funded(rpc);
    assertThat(call("eth_chainId").getString("result"))
        .isEqualTo("0x" + Long.toHexString(CHAIN.value()));
    assertThat(call("net_version").getString("result")).isEqualTo(Long.toString(CHAIN.value()));
    assertThat(call("eth_getBalance", sender.address().toHex(), "latest").getString("result"))
        .isEqualTo("0x" + Senders.ETHER.toString(16));
    long head = node.head().await().atMost(CALL).number();
    assertThat(Long.parseLong(call("eth_blockNumber").getString("result").substring(2), 16))
        .isGreaterThanOrEqualTo(head);
    assertThat(call("eth_gasPrice").getString("result")).startsWith("0x");
    assertThat(call("eth_feeHistory", "0x2", "latest", List.of(50)).getList("result.baseFeePerGas"))
        .hasSize(3);
    assertThat(call("preconf_info").getList("result.rollups.chainId")).contains(CHAIN.value());
    JsonPath nodeRefusal = call("eth_getBalance", "0x12", "latest");
    assertThat(nodeRefusal.getInt("error.code")).as(nodeRefusal.prettify()).isNotZero();
  }

  @Test
  void theSyncSendAnswersTheReceiptWithThePreconfirmationBesideIt() throws Exception {
    EcdsaSigner sender = Senders.funded(rpc);
    Bytes tx = Senders.transfer(CHAIN, sender, 0, 1);
    CompletableFuture<JsonPath> sync =
        CompletableFuture.supplyAsync(() -> call("eth_sendRawTransactionSync", tx.toHex(), 8_000));
    // Nothing hands promised transactions to the node yet: the test does, once promised.
    awaitPromised(tx);
    assertThat(node.sendRawTransaction(tx).await().atMost(CALL))
        .isInstanceOf(SendOutcome.Accepted.class);

    JsonPath r = sync.get();

    assertThat(r.getString("result.transactionHash")).as(r.prettify()).isEqualTo(txHash(tx));
    assertThat(r.getString("result.status")).isEqualTo("0x1");
    assertThat(r.getString("result.preconfirmation.txHash")).isEqualTo(txHash(tx));
  }

  @Test
  void theSyncSendTimesOutWithCodeFourAndTheHash() {
    EcdsaSigner sender = Senders.funded(rpc);
    Bytes tx = Senders.transfer(CHAIN, sender, 0, 1);

    JsonPath r = call("eth_sendRawTransactionSync", tx.toHex(), "0x190");

    assertThat(r.getInt("error.code")).as(r.prettify()).isEqualTo(4);
    assertThat(r.getString("error.data")).isEqualTo(txHash(tx));
    assertThat(r.getString("error.message")).contains("400 ms");
  }

  @Test
  void aPromisedTransactionTheNodeHasNotSeenIsPendingWithTheNodesOwnFields() throws Exception {
    EcdsaSigner sender = Senders.funded(rpc);
    Bytes tx = Senders.transfer(CHAIN, sender, 0, 7);
    assertThat(call("eth_getTransactionByHash", txHash(tx)).getString("result")).isNull();
    call("eth_sendRawTransaction", tx.toHex());

    JsonPath pending = call("eth_getTransactionByHash", txHash(tx));

    assertThat(pending.getString("result.hash")).as(pending.prettify()).isEqualTo(txHash(tx));
    assertThat(pending.getString("result.blockNumber")).isNull();
    assertThat(pending.getString("result.from")).isEqualTo(sender.address().toHex());
    assertThat(node.sendRawTransaction(tx).await().atMost(CALL))
        .isInstanceOf(SendOutcome.Accepted.class);
    JsonPath byNode =
        new JsonPath(
            rpc.call(JsonRpcClient.Call.of("eth_getTransactionByHash", txHash(tx)))
                .await()
                .atMost(CALL)
                .toString());
    for (String field :
        List.of(
            "hash",
            "type",
            "chainId",
            "nonce",
            "from",
            "to",
            "value",
            "gas",
            "maxFeePerGas",
            "maxPriorityFeePerGas",
            "input",
            "accessList",
            "yParity",
            "v",
            "r",
            "s")) {
      assertThat((Object) pending.get("result." + field)).as(field).isEqualTo(byNode.get(field));
    }
  }

  private JsonPath conditional(Bytes tx, Map<String, Object> conditions) {
    return call("eth_sendRawTransactionConditional", tx.toHex(), conditions);
  }

  @Test
  void conditionsThatHoldAtTheNodeArePromised() {
    EcdsaSigner sender = Senders.funded(rpc);
    Bytes tx = Senders.transfer(CHAIN, sender, 0, 1);
    String emptyStorage = "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421";

    JsonPath r =
        conditional(
            tx,
            Map.of(
                "knownAccounts",
                Map.of(
                    sender.address().toHex(),
                    emptyStorage,
                    "0x000000000000000000000000000000000000dead",
                    Map.of("0x0", "0x0")),
                "blockNumberMin",
                "0x0",
                "blockNumberMax",
                "0xffffffff",
                "timestampMin",
                "0x1",
                "timestampMax",
                "0xffffffffff"));

    assertThat(r.getString("result")).as(r.prettify()).isEqualTo(txHash(tx));
    assertThat(call("preconf_getPreconfirmation", txHash(tx)).getString("result.status"))
        .isEqualTo("PRECONFIRMED");
  }

  static Stream<Arguments> unmetConditions() {
    String sender = "0x000000000000000000000000000000000000beef";
    Map<String, String> many = new java.util.HashMap<>();
    for (int i = 0; i < 65; i++) {
      many.put("0x" + Integer.toHexString(i), "0x0");
    }
    return Stream.of(
        Arguments.of(Map.of("timestampMax", "0x1"), -32003, "above the maximum 1"),
        Arguments.of(Map.of("blockNumberMin", "0xffffffff"), -32003, "below the minimum"),
        Arguments.of(
            Map.of("knownAccounts", Map.of(sender, Map.of("0x0", "0x1"))),
            -32003,
            "slot 0x0000000000000000000000000000000000000000000000000000000000000000"),
        Arguments.of(
            Map.of("knownAccounts", Map.of(sender, "0x" + "12".repeat(32))),
            -32003,
            "the storage root of " + sender),
        Arguments.of(Map.of("knownAccounts", Map.of(sender, many)), -32005, "65 storage roots"),
        Arguments.of(Map.of("paysCoinbase", "0x1"), -32602, "\"paysCoinbase\""),
        Arguments.of(Map.of("blockNumberMin", "soon"), -32602, "\"soon\""),
        Arguments.of(Map.of("knownAccounts", Map.of("0x12", "0x0")), -32602, "knownAccounts key"),
        Arguments.of(Map.of("knownAccounts", List.of()), -32602, "knownAccounts must be"));
  }

  @ParameterizedTest
  @MethodSource("unmetConditions")
  void conditionsThatDoNotHoldAreRefusedWithTheErcsCodeAndNothingIsPromised(
      Map<String, Object> conditions, int code, String says) {
    Bytes tx = Senders.transfer(CHAIN, Senders.fresh(), 0, 1);

    JsonPath r = conditional(tx, conditions);

    assertThat(r.getInt("error.code")).as(r.prettify()).isEqualTo(code);
    assertThat(r.getString("error.message")).contains(says);
    assertThat(call("preconf_getPreconfirmation", txHash(tx)).getBoolean("result.found")).isFalse();
  }

  @Test
  void aBatchIsAnsweredInOrder() {
    String body =
        "[{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"eth_chainId\"},"
            + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"nope\"},"
            + "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"net_version\",\"params\":[]}]";
    JsonPath r = new JsonPath(post("/rpc/" + CHAIN.value(), body));
    assertThat(r.getList("id")).containsExactly("a", 2, 3);
    assertThat(r.getString("[0].result")).startsWith("0x");
    assertThat(r.getInt("[1].error.code")).isEqualTo(-32601);
    assertThat(r.getString("[2].result")).isEqualTo(Long.toString(CHAIN.value()));
  }

  /** Bad inputs, each holding the one signed transaction; none of them may promise it. */
  static Stream<Arguments> badInputs() {
    String tx = BAD_TX.toHex();
    String send = "\"method\":\"eth_sendRawTransaction\",\"params\":[\"" + tx + "\"]";
    String big =
        "["
            + String.join(
                ",", Collections.nCopies(10_000, "{\"jsonrpc\":\"2.0\",\"id\":1," + send + "}"))
            + "]";
    String chain = Long.toString(CHAIN.value());
    return Stream.of(
        bad("not JSON", chain, "{\"jsonrpc\":\"2.0\",", -32700, "not valid JSON"),
        bad("empty body", chain, "", -32700, "empty"),
        bad(
            "wrong version",
            chain,
            "{\"jsonrpc\":\"1.0\",\"id\":1," + send + "}",
            -32600,
            "\"1.0\""),
        bad(
            "version as number",
            chain,
            "{\"jsonrpc\":2.0,\"id\":1," + send + "}",
            -32600,
            "jsonrpc"),
        bad("no version", chain, "{\"id\":1," + send + "}", -32600, "jsonrpc"),
        bad("notification", chain, "{\"jsonrpc\":\"2.0\"," + send + "}", -32600, "id is missing"),
        bad(
            "object id",
            chain,
            "{\"jsonrpc\":\"2.0\",\"id\":{}," + send + "}",
            -32600,
            "id must be"),
        bad("fractional id", chain, "{\"jsonrpc\":\"2.0\",\"id\":1.5," + send + "}", -32600, "1.5"),
        bad(
            "no method",
            chain,
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"params\":[\"" + tx + "\"]}",
            -32600,
            "method"),
        bad(
            "method as number",
            chain,
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":5}",
            -32600,
            "method"),
        bad(
            "empty method",
            chain,
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\"}",
            -32600,
            "method"),
        bad(
            "unknown member",
            chain,
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"extra\":1," + send + "}",
            -32600,
            "extra"),
        bad("array of a number", chain, "[1]", -32600, "must be an object"),
        bad("a string body", chain, "\"eth_chainId\"", -32600, "must be an object"),
        bad("empty batch", chain, "[]", -32600, "empty"),
        bad("batch of 10,000", chain, big, -32600, "10000 calls, more than the 100"),
        bad(
            "unknown method",
            chain,
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_sendTransaction\",\"params\":[{}]}",
            -32601,
            "eth_sendTransaction"),
        bad(
            "params as object",
            chain,
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_sendRawTransaction\",\"params\":{\"tx\":\""
                + tx
                + "\"}}",
            -32602,
            "must be an array"),
        bad(
            "params as string",
            chain,
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_sendRawTransaction\",\"params\":\""
                + tx
                + "\"}",
            -32602,
            "must be an array"),
        bad(
            "too many params",
            chain,
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_sendRawTransaction\",\"params\":[\""
                + tx
                + "\",\""
                + tx
                + "\"]}",
            -32602,
            "takes 1 param, got 2"),
        bad(
            "no params",
            chain,
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_sendRawTransaction\"}",
            -32602,
            "got 0"),
        bad(
            "tx as number",
            chain,
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_sendRawTransaction\",\"params\":[12]}",
            -32602,
            "params[0]"),
        bad(
            "tx as array",
            chain,
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_sendRawTransaction\",\"params\":[[\""
                + tx
                + "\"]]}",
            -32602,
            "params[0]"),
        bad(
            "sync timeout as text",
            chain,
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_sendRawTransactionSync\",\"params\":[\""
                + tx
                + "\",\"soon\"]}",
            -32602,
            "\"soon\""),
        bad(
            "sync timeout over the bound",
            chain,
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_sendRawTransactionSync\",\"params\":[\""
                + tx
                + "\",60000]}",
            -32602,
            "60000 ms"),
        bad(
            "preconf options as list",
            chain,
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"preconf_sendRawTransaction\",\"params\":[\""
                + tx
                + "\",[true]]}",
            -32602,
            "params[1]"),
        bad(
            "preconf options with transactions",
            chain,
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"preconf_sendRawTransaction\",\"params\":[\""
                + tx
                + "\",{\"transactions\":[]}]}",
            -32602,
            "may not hold"),
        bad(
            "preconf txs as number",
            chain,
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"preconf_sendRawTransaction\",\"params\":[5]}",
            -32602,
            "params[0]"),
        bad(
            "conditions as a list",
            chain,
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_sendRawTransactionConditional\",\"params\":[\""
                + tx
                + "\",[1]]}",
            -32602,
            "params[1]"),
        bad(
            "conditions missing",
            chain,
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_sendRawTransactionConditional\",\"params\":[\""
                + tx
                + "\"]}",
            -32602,
            "takes 2 params, got 1"),
        bad(
            "tx hash too short",
            chain,
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_getTransactionByHash\",\"params\":[\"0x12\"]}",
            -32602,
            "params[0] of eth_getTransactionByHash"),
        bad(
            "unserved chain",
            "999999999",
            "{\"jsonrpc\":\"2.0\",\"id\":1," + send + "}",
            -32000,
            "999999999"),
        bad(
            "chain not a number",
            "alpha",
            "{\"jsonrpc\":\"2.0\",\"id\":1," + send + "}",
            -32000,
            "\"alpha\""),
        bad(
            "transaction of another chain",
            "167000",
            "{\"jsonrpc\":\"2.0\",\"id\":1," + send + "}",
            -32000,
            "signed for chain"));
  }

  private static final Bytes BAD_TX = Senders.transfer(CHAIN, Senders.fresh(), 0, 1);

  private static Arguments bad(String name, String chain, String body, int code, String says) {
    return Arguments.of(name, chain, body, code, says);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInputs")
  void badInputIsAnsweredWithItsJsonRpcErrorAndConsumesNothing(
      String name, String chain, String body, int code, String says) {
    String answer = post("/rpc/" + chain, body);
    JsonPath r = new JsonPath(answer);

    String error = answer.startsWith("[") ? "[0].error" : "error";
    assertThat(r.getInt(error + ".code")).as(name + ": " + answer).isEqualTo(code);
    assertThat(r.getString(error + ".message")).contains(says);
    JsonPath status = call("preconf_getPreconfirmation", txHash(BAD_TX));
    assertThat(status.getBoolean("result.found")).as(status.prettify()).isFalse();
  }

  private void awaitPromised(Bytes tx) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (System.currentTimeMillis() < deadline) {
      if ("PRECONFIRMED"
          .equals(call("preconf_getPreconfirmation", txHash(tx)).getString("result.status"))) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("transaction " + txHash(tx) + " was not promised");
  }

  private static String txHash(Bytes tx) {
    return Keccak.hash(tx.unsafeArray()).toHex();
  }
}
