package io.preconf.functions.rpc;

import static io.preconf.functions.rpc.FabricGateway.Form.REFERENCE;
import static io.preconf.wire.JsonRpcCodec.INVALID_PARAMS;
import static io.preconf.wire.JsonRpcCodec.METHOD_NOT_FOUND;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.commit.Status;
import io.preconf.core.crypto.Secp256k1Backend;
import io.preconf.core.engine.PreconfirmRequest;
import io.preconf.core.engine.PreconfirmResult;
import io.preconf.core.engine.PreconfirmationEngine;
import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.RejectedException;
import io.preconf.core.error.Rejection;
import io.preconf.core.error.Result;
import io.preconf.core.node.NodeReply;
import io.preconf.core.node.RollupNode;
import io.preconf.core.port.StatusQuery;
import io.preconf.core.pull.LaneEntries;
import io.preconf.core.rollup.Rollups;
import io.preconf.core.tx.AccessListEntry;
import io.preconf.core.tx.DecodedTransaction;
import io.preconf.core.tx.SignedFields;
import io.preconf.core.tx.TransactionDecoder;
import io.preconf.core.tx.TxType;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.preconf.core.types.MalformedValueException;
import io.preconf.functions.Functions;
import io.preconf.functions.config.ClientLimits;
import io.preconf.functions.config.PreconfConfig;
import io.preconf.wire.JsonRpcCodec;
import io.preconf.wire.JsonRpcCodec.Call;
import io.preconf.wire.PreconfirmationCodec;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * The Ethereum JSON-RPC front door of one served rollup ({@code POST /rpc/<chainId>}, spec section
 * 8): what a wallet's RPC URL speaks. Sending a transaction preconfirms it through the engine's own
 * use cases; the {@code preconf_*} methods answer exactly as the functions do; reads are relayed to
 * the rollup's node, with the sender's open promises counted in its pending nonce.
 */
@ApplicationScoped
public class EthereumRpc {
  private static final Logger LOG = Logger.getLogger(EthereumRpc.class);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Reads passed to the node unchanged, with the number of params each takes. */
  private static final Map<String, Arity> RELAYED =
      Map.ofEntries(
          Map.entry("eth_blockNumber", new Arity(0, 0)),
          Map.entry("eth_getBalance", new Arity(1, 2)),
          Map.entry("eth_getCode", new Arity(1, 2)),
          Map.entry("eth_call", new Arity(1, 3)),
          Map.entry("eth_estimateGas", new Arity(1, 3)),
          Map.entry("eth_gasPrice", new Arity(0, 0)),
          Map.entry("eth_maxPriorityFeePerGas", new Arity(0, 0)),
          Map.entry("eth_feeHistory", new Arity(2, 3)),
          Map.entry("eth_getBlockByNumber", new Arity(1, 2)),
          Map.entry("eth_getBlockByHash", new Arity(1, 2)),
          Map.entry("eth_getTransactionReceipt", new Arity(1, 1)));

  @Inject Functions functions;
  @Inject PreconfirmationEngine engine;
  @Inject StatusQuery statuses;
  @Inject Rollups rollups;
  @Inject RollupNodes nodes;
  @Inject PreconfConfig config;
  @Inject Secp256k1Backend secp256k1;
  @Inject BoltRpc bolt;
  @Inject FabricGateway fabric;
  @Inject LaneEntries lanes;
  @Inject ClientLimits clients;

  /** The methods that send transactions, counted against their client's limit. */
  private static final Set<String> SENDING =
      Set.of(
          "eth_sendRawTransaction",
          "eth_sendRawTransactionSync",
          "eth_sendRawTransactionConditional",
          "preconf_sendRawTransaction",
          "bolt_requestInclusion",
          "commitmentRequest");

  private final Map<String, Method> methods = new TreeMap<>();

  private record Arity(int min, int max) {}

  /** A method that reads the request's HTTP headers (lower-case names) too. */
  @FunctionalInterface
  private interface Handler {
    Uni<JsonNode> call(ChainId chain, String method, ArrayNode params, Map<String, String> headers);
  }

  @FunctionalInterface
  private interface Plain {
    Uni<JsonNode> call(ChainId chain, String method, ArrayNode params);
  }

  private record Method(Arity arity, Handler handler) {}

  EthereumRpc() {
    own("eth_chainId", 0, 0, (chain, m, p) -> item(TextNode.valueOf(quantity(chain.value()))));
    own("net_version", 0, 0, (chain, m, p) -> item(TextNode.valueOf(Long.toString(chain.value()))));
    own("eth_sendRawTransaction", 1, 1, this::sendRawTransaction);
    own("eth_sendRawTransactionSync", 1, 2, this::sendRawTransactionSync);
    own("eth_sendRawTransactionConditional", 2, 2, this::sendRawTransactionConditional);
    own("eth_getTransactionCount", 1, 2, this::transactionCount);
    own("eth_getTransactionByHash", 1, 1, this::transactionByHash);
    own("preconf_sendRawTransaction", 1, 2, this::preconfSend);
    own("preconf_getPreconfirmation", 1, 1, this::preconfGet);
    own("preconf_validate", 1, 1, (chain, m, p) -> functions.validate(p.get(0)));
    own("preconf_info", 0, 0, (chain, m, p) -> functions.info(NODES.objectNode()));
    own(
        "bolt_requestInclusion",
        1,
        1,
        (chain, m, p, headers) -> bolt.requestInclusion(chain, m, p, headers));
    own("bolt_metadata", 0, 0, (chain, m, p) -> bolt.metadata(chain, m, p));
    own("bolt_getVersion", 0, 0, (chain, m, p) -> bolt.getVersion(chain, m, p));
    own(
        "commitmentRequest",
        1,
        1,
        (chain, m, p) -> fabric.commitmentRequest(Optional.of(chain), p.get(0), REFERENCE));
    own(
        "commitmentResult",
        1,
        1,
        (chain, m, p) -> fabric.commitmentResult(Optional.of(chain), p.get(0), REFERENCE));
    own("slots", 0, 0, (chain, m, p) -> item(fabric.slots(Optional.of(chain))));
    own("fee", 1, 1, (chain, m, p) -> fabric.fee(Optional.of(chain), p.get(0), REFERENCE));
    RELAYED.forEach((name, arity) -> own(name, arity.min(), arity.max(), this::relay));
  }

  private void own(String name, int min, int max, Plain plain) {
    own(name, min, max, (chain, method, params, headers) -> plain.call(chain, method, params));
  }

  private void own(String name, int min, int max, Handler handler) {
    methods.put(name, new Method(new Arity(min, max), handler));
  }

  /**
   * The answer to a body posted to {@code /rpc/<chainText>}: one answer object, or an array for a
   * batch. A batch's calls run one after another, in order, so that a sender's transactions are
   * promised in the order sent.
   */
  public Uni<JsonNode> answer(String chainText, String body) {
    return answer(chainText, body, Map.of(), null);
  }

  /**
   * As {@link #answer(String, String)}, with the request's HTTP headers, names in lower case, for
   * the methods that read one ({@code bolt_requestInclusion}'s signature), for {@code client},
   * whose sent transactions count against its limit ({@code preconf.limits.client-max}); null for a
   * caller with no client.
   */
  public Uni<JsonNode> answer(
      String chainText, String body, Map<String, String> headers, ClientLimits.Client client) {
    JsonRpcCodec.Body read = JsonRpcCodec.read(body, config.rpc().maxBatch());
    if (read.error() != null) {
      return item(read.error());
    }
    Result<ChainId> chain = chain(chainText);
    return Multi.createFrom()
        .iterable(read.calls())
        .onItem()
        .transformToUniAndConcatenate(call -> answer(chain, call, headers, client))
        .collect()
        .asList()
        .onItem()
        .transform(answers -> JsonRpcCodec.answers(answers, read.batch()));
  }

  private Uni<ObjectNode> answer(
      Result<ChainId> chain, Call call, Map<String, String> headers, ClientLimits.Client client) {
    JsonNode id = call.id();
    if (call instanceof Call.Invalid invalid) {
      return item(JsonRpcCodec.error(id, invalid.code(), invalid.message(), null));
    }
    Call.Request request = (Call.Request) call;
    String name = request.method();
    Method method = methods.get(name);
    if (method == null) {
      return item(
          JsonRpcCodec.error(
              id,
              METHOD_NOT_FOUND,
              "method \"" + name + "\" is not served here; served: " + methods.keySet(),
              null));
    }
    int n = request.params().size();
    if (n < method.arity().min() || n > method.arity().max()) {
      return item(
          JsonRpcCodec.error(
              id,
              INVALID_PARAMS,
              name + " takes " + expected(method.arity()) + ", got " + n,
              null));
    }
    if (!chain.isOk()) {
      return item(JsonRpcCodec.refusal(id, chain.rejection()));
    }
    return clients
        .take(client, sent(name, request.params()))
        .onItem()
        .transformToUni(
            wait ->
                wait.isZero()
                    ? Uni.createFrom()
                        .deferred(
                            () ->
                                method
                                    .handler()
                                    .call(chain.value(), name, request.params(), headers))
                    : Uni.createFrom()
                        .<JsonNode>failure(new RejectedException(clients.refusal(client, wait))))
        .onItem()
        .transform(value -> JsonRpcCodec.result(id, value))
        .onFailure()
        .recoverWithItem(failure -> failed(id, name, failure));
  }

  /** How many transactions a call sends, as the client's limit counts them. */
  private static int sent(String method, ArrayNode params) {
    if (!SENDING.contains(method)) {
      return 0;
    }
    JsonNode txs = params.get(0);
    if (txs != null && txs.isObject() && txs.path("txs").isArray()) {
      return txs.get("txs").size(); // bolt_requestInclusion's request
    }
    return txs != null && txs.isArray() ? txs.size() : 1;
  }

  private static ObjectNode failed(JsonNode id, String method, Throwable failure) {
    if (failure instanceof RpcError e) {
      return JsonRpcCodec.error(id, e.code, e.getMessage(), e.data);
    }
    if (failure instanceof RejectedException r) {
      return JsonRpcCodec.refusal(id, r.rejection());
    }
    LOG.errorf(failure, "%s failed unexpectedly", method);
    return JsonRpcCodec.internal(
        id,
        Rejection.of(
            ErrorCode.TRANSACTION_PROCESSING_FAILED,
            Reason.INTERNAL_ERROR,
            method + " failed unexpectedly (" + failure.getClass().getSimpleName() + ")"));
  }

  private Result<ChainId> chain(String text) {
    long id;
    try {
      id = Long.parseLong(text);
    } catch (NumberFormatException e) {
      return Result.err(
          ErrorCode.VALIDATION_FAILED,
          Reason.UNSUPPORTED_CHAIN,
          "the chain id in the URL must be a decimal number (/rpc/<chainId>), got \""
              + text
              + "\"");
    }
    if (id < 1 || id > ChainId.MAX || rollups.find(ChainId.of(id)).isEmpty()) {
      return Result.err(rollups.unsupportedChain(ErrorCode.VALIDATION_FAILED, id));
    }
    return Result.ok(ChainId.of(id));
  }

  // --- sending ---

  /** Preconfirms one transaction of this chain; answers its hash once the promise is recorded. */
  private Uni<JsonNode> sendRawTransaction(ChainId chain, String method, ArrayNode params) {
    return promise(chain, text(method, params, 0, "a signed transaction as 0x hex"))
        .onItem()
        .transform(p -> TextNode.valueOf(p.txHash().toHex()));
  }

  /**
   * ERC-7796: preconfirms once the call's conditions hold at the node's latest block; answers the
   * hash, or -32003 naming the condition that does not hold (nothing is promised then).
   */
  private Uni<JsonNode> sendRawTransactionConditional(
      ChainId chain, String method, ArrayNode params) {
    String hex = text(method, params, 0, "a signed transaction as 0x hex");
    TransactionConditions conditions =
        TransactionConditions.read(method, params.get(1), config.rpc().maxConditionReads());
    return conditions
        .check(node(chain))
        .onItem()
        .transformToUni(ok -> promise(chain, hex))
        .onItem()
        .transform(p -> TextNode.valueOf(p.txHash().toHex()));
  }

  /**
   * EIP-7966: preconfirms, then waits for the node's receipt up to the call's timeout (the setting
   * when absent, never above the bound). Answers the receipt with {@code "preconfirmation"} beside
   * its fields; code 4 with the tx hash as data when the wait runs out, 5 when no node is followed.
   */
  private Uni<JsonNode> sendRawTransactionSync(ChainId chain, String method, ArrayNode params) {
    Duration timeout = syncTimeout(method, params);
    String hex = text(method, params, 0, "a signed transaction as 0x hex");
    Optional<RollupNode> node = nodes.of(chain);
    if (node.isEmpty()) {
      throw new RpcError(5, "chain " + chain + " has no node to wait for a receipt on");
    }
    return promise(chain, hex)
        .onItem()
        .transformToUni(
            p ->
                receipt(node.get(), p.txHash().toHex(), timeout)
                    .onItem()
                    .ifNull()
                    .failWith(
                        () ->
                            new RpcError(
                                4,
                                "transaction "
                                    + p.txHash()
                                    + " was preconfirmed but not included within "
                                    + timeout.toMillis()
                                    + " ms",
                                TextNode.valueOf(p.txHash().toHex())))
                    .onItem()
                    .transform(
                        r -> {
                          ObjectNode receipt = ((ObjectNode) r).deepCopy();
                          receipt.set("preconfirmation", PreconfirmationCodec.toNode(p));
                          return receipt;
                        }));
  }

  /** The node's receipt once it has one, polled; null when {@code timeout} passes first. */
  private Uni<JsonNode> receipt(RollupNode node, String txHash, Duration timeout) {
    String params = NODES.arrayNode().add(txHash).toString();
    return Multi.createFrom()
        .ticks()
        .every(config.rpc().receiptPollInterval())
        .onOverflow()
        .drop()
        .onItem()
        .transformToUniAndConcatenate(tick -> node.read("eth_getTransactionReceipt", params))
        .select()
        .where(reply -> reply instanceof NodeReply.Result r && !"null".equals(r.json()))
        .onItem()
        .transform(reply -> JsonRpcCodec.tree(((NodeReply.Result) reply).json()))
        .toUni()
        .ifNoItem()
        .after(timeout)
        .recoverWithItem(() -> null);
  }

  private Duration syncTimeout(String method, ArrayNode params) {
    Duration bound = config.rpc().maxSyncTimeout();
    JsonNode t = params.get(1);
    if (t == null || t.isNull()) {
      return config.rpc().syncTimeout();
    }
    long ms;
    if (t.isIntegralNumber() && t.canConvertToLong()) {
      ms = t.asLong();
    } else if (t.isTextual() && t.asText().matches("0x[0-9a-fA-F]{1,15}")) {
      ms = Long.parseLong(t.asText().substring(2), 16);
    } else {
      throw new RpcError(
          INVALID_PARAMS,
          "params[1] of " + method + " must be a timeout in milliseconds, got " + t);
    }
    if (ms < 1 || ms > bound.toMillis()) {
      throw new RpcError(
          INVALID_PARAMS,
          "params[1] of "
              + method
              + " asks for a timeout of "
              + ms
              + " ms; it must be between 1 and "
              + bound.toMillis()
              + " ms");
    }
    return Duration.ofMillis(ms);
  }

  /**
   * The transaction's preconfirmation, new or the one it already holds; a transaction of another
   * chain is refused before anything is claimed for it.
   */
  private Uni<Preconfirmation> promise(ChainId chain, String hex) {
    otherChain(chain, hex, secp256k1)
        .ifPresent(
            why -> {
              throw new RejectedException(why);
            });
    return engine
        .preconfirm(new PreconfirmRequest(List.of(hex), false, null))
        .onItem()
        .transform(EthereumRpc::onlyPromise);
  }

  /**
   * The refusal of a transaction signed for another chain than the endpoint's; empty for one of
   * this chain, and for one that does not decode (the engine names what is wrong with it).
   */
  static Optional<Rejection> otherChain(ChainId chain, String hex, Secp256k1Backend secp256k1) {
    Result<DecodedTransaction> decoded = TransactionDecoder.decodeHex(hex, secp256k1);
    if (!decoded.isOk() || decoded.value().chainId().equals(chain)) {
      return Optional.empty();
    }
    return Optional.of(
        Rejection.invalidTransaction(
            Reason.UNSUPPORTED_CHAIN,
            "transaction "
                + decoded.value().txHash()
                + " is signed for chain "
                + decoded.value().chainId()
                + ", but this endpoint serves chain "
                + chain
                + " (/rpc/"
                + chain
                + ")"));
  }

  private static Preconfirmation onlyPromise(PreconfirmResult r) {
    if (r.error() != null) {
      throw new RejectedException(r.error());
    }
    if (!r.rejected().isEmpty()) {
      throw new RejectedException(r.rejected().get(0).rejection());
    }
    return r.preconfirmations().get(0);
  }

  /**
   * {@code [tx or [tx, ..], {"atomic", "targetSlot"}?]}: the {@code preconfirm} function's request
   * and answer, for transactions of any served chain.
   */
  private Uni<JsonNode> preconfSend(ChainId chain, String method, ArrayNode params) {
    JsonNode txs = params.get(0);
    if (!txs.isTextual() && !txs.isArray()) {
      throw new RpcError(
          INVALID_PARAMS,
          "params[0] of "
              + method
              + " must be a signed transaction or an array of them, got "
              + txs);
    }
    JsonNode options = params.get(1);
    if (options != null && !options.isNull() && !options.isObject()) {
      throw new RpcError(
          INVALID_PARAMS,
          "params[1] of " + method + " must be {\"atomic\", \"targetSlot\"}, got " + options);
    }
    ObjectNode body = options instanceof ObjectNode o ? o.deepCopy() : NODES.objectNode();
    if (body.has("transactions")) {
      throw new RpcError(
          INVALID_PARAMS,
          "params[1] of " + method + " may not hold \"transactions\"; they are params[0]");
    }
    body.set("transactions", txs.isArray() ? txs : NODES.arrayNode().add(txs));
    // Counted against the client's limit by the dispatch already.
    return functions.preconfirmFor(body, null);
  }

  /** {@code [txHash]}: the {@code status} function's answer for this chain. */
  private Uni<JsonNode> preconfGet(ChainId chain, String method, ArrayNode params) {
    ObjectNode body = NODES.objectNode();
    body.put("chainId", chain.value());
    body.set("txHash", params.get(0));
    return functions.status(body);
  }

  // --- reads ---

  /**
   * {@code pending}: the node's pending nonce, or one past the sender's highest promised nonce when
   * that is further (promises the node has not seen yet), so that a wallet picks the next nonce
   * after its own promises. Any other block is the node's answer.
   */
  private Uni<JsonNode> transactionCount(ChainId chain, String method, ArrayNode params) {
    JsonNode tag = params.get(1);
    if (tag == null || !tag.isTextual() || !tag.asText().equals("pending")) {
      return relay(chain, method, params);
    }
    Address sender;
    try {
      sender = Address.fromHex("params[0] of " + method, text(method, params, 0, "an address"));
    } catch (MalformedValueException e) {
      throw new RpcError(INVALID_PARAMS, e.getMessage());
    }
    return Uni.combine()
        .all()
        .unis(node(chain).account(sender), statuses.highestPromisedNonce(chain, sender))
        .with(
            (account, promised) ->
                TextNode.valueOf(quantity(Math.max(account.pendingNonce(), next(promised)))));
  }

  private static long next(OptionalLong highestPromised) {
    return highestPromised.isPresent() ? highestPromised.getAsLong() + 1 : 0;
  }

  /**
   * The node's answer; when the node does not know the transaction yet but it holds a promise here
   * that is not included, the transaction as a pending one (no block), built from the signed bytes
   * the engine kept.
   */
  private Uni<JsonNode> transactionByHash(ChainId chain, String method, ArrayNode params) {
    Hash32 hash;
    try {
      hash = Hash32.fromHex("params[0] of " + method, text(method, params, 0, "a tx hash"));
    } catch (MalformedValueException e) {
      throw new RpcError(INVALID_PARAMS, e.getMessage());
    }
    return relay(chain, method, params)
        .onItem()
        .transformToUni(
            known -> known != null && !known.isNull() ? item(known) : pending(chain, hash));
  }

  private Uni<JsonNode> pending(ChainId chain, Hash32 hash) {
    return statuses
        .find(chain, hash)
        .onItem()
        .transformToUni(
            tracked -> {
              if (tracked.isEmpty() || tracked.get().promise().status() != Status.PRECONFIRMED) {
                return item(NullNode.getInstance());
              }
              long sequence = tracked.get().promise().preconfirmation().sequence();
              return lanes
                  .read(chain, sequence, OptionalLong.empty(), 1)
                  .onItem()
                  .transform(
                      entries ->
                          entries.stream()
                              .filter(e -> e.txHash().equals(hash) && e.signedTransaction() != null)
                              .findFirst()
                              .<JsonNode>map(e -> pendingTransaction(e.signedTransaction()))
                              .orElse(NullNode.getInstance()));
            });
  }

  /** A transaction as nodes show one that is in no block yet. */
  private JsonNode pendingTransaction(Bytes signed) {
    DecodedTransaction tx = TransactionDecoder.decode(signed, secp256k1).value();
    SignedFields fields = SignedFields.of(tx);
    ObjectNode o = NODES.objectNode();
    o.putNull("blockHash");
    o.putNull("blockNumber");
    o.putNull("transactionIndex");
    o.put("hash", tx.txHash().toHex());
    o.put("type", quantity(Math.max(tx.type().typeByte(), 0)));
    o.put("chainId", quantity(tx.chainId().value()));
    o.put("nonce", quantity(tx.nonce()));
    o.put("from", tx.sender().toHex());
    if (tx.to() == null) {
      o.putNull("to");
    } else {
      o.put("to", tx.to().toHex());
    }
    o.put("value", quantity(tx.value()));
    o.put("gas", quantity(tx.gasLimit()));
    o.put("gasPrice", quantity(tx.maxFeePerGas()));
    if (tx.type() == TxType.DYNAMIC_FEE) {
      o.put("maxFeePerGas", quantity(tx.maxFeePerGas()));
      o.put("maxPriorityFeePerGas", quantity(tx.maxPriorityFeePerGas()));
    }
    o.put("input", fields.input().toHex());
    if (tx.type() != TxType.LEGACY) {
      ArrayNode list = o.putArray("accessList");
      for (AccessListEntry entry : fields.accessList()) {
        ObjectNode e = list.addObject().put("address", entry.address().toHex());
        ArrayNode keys = e.putArray("storageKeys");
        entry.storageKeys().forEach(k -> keys.add(k.toHex()));
      }
      o.put("yParity", quantity(fields.v()));
    }
    o.put("v", quantity(fields.v()));
    o.put("r", quantity(fields.r()));
    o.put("s", quantity(fields.s()));
    return o;
  }

  private Uni<JsonNode> relay(ChainId chain, String method, ArrayNode params) {
    return node(chain)
        .read(method, params.toString())
        .onItem()
        .transform(
            reply -> {
              if (reply instanceof NodeReply.Error e) {
                throw new RpcError((int) e.code(), e.message());
              }
              return JsonRpcCodec.tree(((NodeReply.Result) reply).json());
            });
  }

  private RollupNode node(ChainId chain) {
    return nodes
        .of(chain)
        .orElseThrow(
            () ->
                new RejectedException(
                    Rejection.backendUnavailable(
                        "chain "
                            + chain
                            + " has no node configured (preconf.rollups[i].rpc-url), so reads"
                            + " cannot be answered")));
  }

  // --- params ---

  private static String text(String method, ArrayNode params, int i, String what) {
    JsonNode v = params.get(i);
    if (v == null || !v.isTextual()) {
      throw new RpcError(
          INVALID_PARAMS, "params[" + i + "] of " + method + " must be " + what + ", got " + v);
    }
    return v.asText();
  }

  private static String expected(Arity a) {
    if (a.min() == a.max()) {
      return a.min() == 1 ? "1 param" : a.min() + " params";
    }
    return a.min() + " to " + a.max() + " params";
  }

  private static String quantity(long n) {
    return "0x" + Long.toHexString(n);
  }

  private static String quantity(BigInteger n) {
    return "0x" + n.toString(16);
  }

  private static <T> Uni<T> item(T value) {
    return Uni.createFrom().item(value);
  }
}
