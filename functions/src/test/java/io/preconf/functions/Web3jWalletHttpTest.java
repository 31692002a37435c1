package io.preconf.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.preconf.core.commit.CommitmentTypedData;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.preconf.infra.LocalServers;
import io.preconf.infra.rpc.DevAccounts;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.math.BigInteger;
import java.net.URL;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Keys;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.Sign;
import org.web3j.crypto.StructuredDataEncoder;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.response.EthGetTransactionReceipt;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.Transaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * The JSON-RPC front door ({@code POST /rpc/<chainId>}) driven by web3j exactly as a Java wallet
 * drives an Ethereum node: web3j builds and signs the transactions, picks the nonce the engine
 * answers, reads web3j's own result and error types, and checks the preconfirmation's EIP-712
 * signature with its own encoder. The rollup's senders are checked on a real anvil node.
 */
@QuarkusTest
@TestProfile(CheckedAnvilRollup.Profile.class)
@QuarkusTestResource(LocalServers.class)
class Web3jWalletHttpTest {
  private static final ChainId CHAIN = CheckedAnvilRollup.CHAIN;

  /** anvil's development account 4 (public knowledge, funded on every local node). */
  private static final Credentials WALLET =
      Credentials.create("0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a");

  private static final String SINK = "0x000000000000000000000000000000000000dead";
  private static final BigInteger GWEI = BigInteger.TEN.pow(9);
  private static final BigInteger CURVE_ORDER =
      new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);

  /** {@code preconf_getPreconfirmation}'s answer, read as a tree. */
  public static final class PreconfirmationAnswer extends Response<JsonNode> {}

  @TestHTTPResource("/")
  URL url;

  private HttpService engineService;
  private Web3j engine;
  private Web3j node;

  @BeforeEach
  void clients() {
    CheckedAnvilRollup.node.ensureRunning();
    engineService = new HttpService(url + "rpc/" + CHAIN.value());
    engine = Web3j.build(engineService);
    node = Web3j.build(new HttpService(CheckedAnvilRollup.node.url().toString()));
  }

  @AfterEach
  void close() {
    engine.shutdown();
    node.shutdown();
  }

  private static RawTransaction transfer(BigInteger nonce, long wei) {
    return RawTransaction.createTransaction(
        CHAIN.value(),
        nonce,
        BigInteger.valueOf(21_000),
        SINK,
        BigInteger.valueOf(wei),
        "",
        GWEI,
        GWEI.multiply(BigInteger.valueOf(30)));
  }

  private static String signed(RawTransaction tx) {
    return Numeric.toHexString(TransactionEncoder.signMessage(tx, CHAIN.value(), WALLET));
  }

  private BigInteger pendingNonce() throws Exception {
    return engine
        .ethGetTransactionCount(WALLET.getAddress(), DefaultBlockParameterName.PENDING)
        .send()
        .getTransactionCount();
  }

  private static JsonNode errorData(Response<?> refused) throws Exception {
    assertThat(refused.getError()).as("an error, not %s", refused.getResult()).isNotNull();
    return new ObjectMapper().readTree(refused.getError().getData());
  }

  @Test
  void aWeb3jWalletSendsReadsAndGetsItsReceiptsThroughTheEngine() throws Exception {
    assertThat(WALLET.getAddress()).isEqualToIgnoringCase(DevAccounts.address(4).toHex());
    assertThat(engine.ethChainId().send().getChainId()).isEqualTo(CHAIN.value());
    BigInteger nodeHead = node.ethBlockNumber().send().getBlockNumber();
    assertThat(engine.ethBlockNumber().send().getBlockNumber()).isGreaterThanOrEqualTo(nodeHead);

    BigInteger nonce = pendingNonce();
    String first = signed(transfer(nonce, 1));
    EthSendTransaction sent = engine.ethSendRawTransaction(first).send();

    assertThat(sent.getError()).as("refused: %s", sent.getRawResponse()).isNull();
    assertThat(sent.getTransactionHash()).isEqualTo(Hash.sha3(first));
    Transaction pending =
        engine.ethGetTransactionByHash(sent.getTransactionHash()).send().getTransaction().get();
    assertThat(pending.getBlockHash()).isNull();
    assertThat(pending.getFrom()).isEqualToIgnoringCase(WALLET.getAddress());
    assertThat(pending.getNonce()).isEqualTo(nonce);
    assertThat(pendingNonce()).isEqualTo(nonce.add(BigInteger.ONE));

    String second = signed(transfer(nonce.add(BigInteger.ONE), 2));
    CompletableFuture<EthGetTransactionReceipt> sync =
        new Request<>(
                "eth_sendRawTransactionSync",
                List.of(second, 8_000),
                engineService,
                EthGetTransactionReceipt.class)
            .sendAsync();
    awaitPromised(Hash.sha3(second));
    // The engine's delivery runs in the feed's process, not here: the test hands both to the node.
    assertThat(node.ethSendRawTransaction(first).send().getError()).isNull();
    assertThat(node.ethSendRawTransaction(second).send().getError()).isNull();

    TransactionReceipt secondReceipt =
        sync.get(15, TimeUnit.SECONDS).getTransactionReceipt().orElseThrow();
    Optional<TransactionReceipt> firstReceipt =
        engine.ethGetTransactionReceipt(sent.getTransactionHash()).send().getTransactionReceipt();

    assertThat(secondReceipt.getTransactionHash()).isEqualTo(Hash.sha3(second));
    assertThat(secondReceipt.isStatusOK()).isTrue();
    assertThat(firstReceipt).get().extracting(TransactionReceipt::isStatusOK).isEqualTo(true);
    assertThat(firstReceipt.get().getBlockNumber())
        .isLessThanOrEqualTo(secondReceipt.getBlockNumber());
  }

  private void awaitPromised(String txHash) throws Exception {
    long deadline = System.currentTimeMillis() + 10_000;
    while (engine.ethGetTransactionByHash(txHash).send().getTransaction().isEmpty()) {
      assertThat(System.currentTimeMillis()).as("%s promised", txHash).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  @Test
  void refusalsReachWeb3jAsJsonRpcErrorsWithTheCodedReason() throws Exception {
    BigInteger next = pendingNonce();
    EthSendTransaction gap =
        engine.ethSendRawTransaction(signed(transfer(next.add(BigInteger.TWO), 1))).send();

    RawTransaction tx = transfer(next, 1);
    Sign.SignatureData low = Sign.signMessage(TransactionEncoder.encode(tx), WALLET.getEcKeyPair());
    // The same signature with s mirrored above n/2 still recovers the wallet (EIP-2 forbids it).
    Sign.SignatureData high =
        new Sign.SignatureData(
            (byte) (55 - low.getV()[0]),
            low.getR(),
            Numeric.toBytesPadded(CURVE_ORDER.subtract(Numeric.toBigInt(low.getS())), 32));
    String highS = Numeric.toHexString(TransactionEncoder.encode(tx, high));
    EthSendTransaction badSignature = engine.ethSendRawTransaction(highS).send();

    assertThat(gap.getError().getCode()).isEqualTo(-32000);
    assertThat(errorData(gap).path("reason").asText()).isEqualTo("NONCE_GAP");
    assertThat(gap.getError().getMessage())
        .isEqualTo(errorData(gap).path("message").asText())
        .contains("its next nonce is " + next);
    assertThat(badSignature.getError().getCode()).isEqualTo(-32000);
    assertThat(errorData(badSignature).path("code").asText()).isEqualTo("INVALID_TRANSACTION");
    assertThat(errorData(badSignature).path("reason").asText()).isEqualTo("BAD_SIGNATURE");
    assertThat(badSignature.getError().getMessage()).contains("high-s");
    assertThat(pendingNonce()).as("nothing promised").isEqualTo(next);
  }

  @Test
  void thePreconfirmationsSignatureRecoversToTheEngineWithWeb3jsEip712Encoder() throws Exception {
    String tx = signed(transfer(pendingNonce(), 3));
    engine.ethSendRawTransaction(tx).send();
    JsonNode promise =
        new Request<>(
                "preconf_getPreconfirmation",
                List.of(Hash.sha3(tx)),
                engineService,
                PreconfirmationAnswer.class)
            .send()
            .getResult();
    JsonNode commitment = promise.path("commitment");
    String typedData =
        """
        {"types": {
           "EIP712Domain": [{"name": "name", "type": "string"}, {"name": "version", "type": "string"}],
           "Commitment": [{"name": "root", "type": "bytes32"}, {"name": "issuedAt", "type": "uint64"},
                          {"name": "expiresAt", "type": "uint64"}, {"name": "atomic", "type": "bool"}]},
         "primaryType": "Commitment",
         "domain": {"name": "Preconfirmation", "version": "1"},
         "message": {"root": "%s", "issuedAt": %d, "expiresAt": %d, "atomic": %b}}
        """
            .formatted(
                commitment.path("root").asText(),
                commitment.path("issuedAt").asLong(),
                commitment.path("expiresAt").asLong(),
                commitment.path("atomic").asBoolean());

    byte[] digest = new StructuredDataEncoder(typedData).hashStructuredData();
    byte[] signature = Numeric.hexStringToByteArray(commitment.path("signature").asText());
    BigInteger key =
        Sign.signedMessageHashToKey(
            digest,
            new Sign.SignatureData(
                signature[64],
                Arrays.copyOfRange(signature, 0, 32),
                Arrays.copyOfRange(signature, 32, 64)));
    String signer =
        new Request<>("preconf_info", List.of(), engineService, PreconfirmationAnswer.class)
            .send()
            .getResult()
            .path("signer")
            .asText();

    assertThat(promise.path("txHash").asText()).isEqualTo(Hash.sha3(tx));
    assertThat(Numeric.toHexString(digest))
        .isEqualTo(
            CommitmentTypedData.digest(
                    Hash32.fromHex(commitment.path("root").asText()),
                    commitment.path("issuedAt").asLong(),
                    commitment.path("expiresAt").asLong(),
                    commitment.path("atomic").asBoolean())
                .toHex());
    assertThat(Keys.toChecksumAddress(Keys.getAddress(key)))
        .isEqualToIgnoringCase(signer)
        .isEqualToIgnoringCase(commitment.path("signer").asText());
  }
}
