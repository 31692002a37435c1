package io.preconf.infra.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.preconf.core.crypto.Keccak;
import io.preconf.core.error.RejectedException;
import io.preconf.core.node.AccountState;
import io.preconf.core.node.ChainHead;
import io.preconf.core.node.NodeReply;
import io.preconf.core.node.Receipt;
import io.preconf.core.node.RollupNode;
import io.preconf.core.node.SendOutcome;
import io.preconf.core.node.SenderState;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.smallrye.mutiny.Uni;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link RollupNode} over Ethereum JSON-RPC. The account is read in one batch (both nonces and the
 * balance; or the nonce and the balance at one block number); the head is {@code
 * eth_getBlockByNumber("latest")}. What a node answers to {@code eth_sendRawTransaction} is
 * classified by {@link NodeRefusals}, from the words nodes use, since JSON-RPC gives refusals no
 * codes of their own; a "nonce too low" is told apart from this very transaction being mined
 * already by asking for its receipt.
 */
public final class JsonRpcRollupNode implements RollupNode {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final JsonRpcClient rpc;

  public JsonRpcRollupNode(JsonRpcClient rpc) {
    this.rpc = rpc;
  }

  @Override
  public Uni<ChainId> chainId() {
    return rpc.call(JsonRpcClient.Call.of("eth_chainId"))
        .onItem()
        .transform(r -> ChainId.of(rpc.number(r, "chainId")));
  }

  @Override
  public Uni<AccountState> account(Address address) {
    String a = address.toHex();
    return rpc.batch(
            List.of(
                JsonRpcClient.Call.of("eth_getTransactionCount", a, "latest"),
                JsonRpcClient.Call.of("eth_getTransactionCount", a, "pending"),
                JsonRpcClient.Call.of("eth_getBalance", a, "latest")))
        .onItem()
        .transform(
            r ->
                new AccountState(
                    address,
                    rpc.number(r.get(0), "nonce"),
                    rpc.number(r.get(1), "pending nonce"),
                    rpc.bigNumber(r.get(2), "balance")));
  }

  @Override
  public Uni<SenderState> senderAt(Address address, long blockNumber) {
    String a = address.toHex();
    String block = "0x" + Long.toHexString(blockNumber);
    return rpc.batch(
            List.of(
                JsonRpcClient.Call.of("eth_getTransactionCount", a, block),
                JsonRpcClient.Call.of("eth_getBalance", a, block)))
        .onItem()
        .transform(
            r ->
                new SenderState(
                    address,
                    blockNumber,
                    rpc.number(r.get(0), "nonce"),
                    rpc.bigNumber(r.get(1), "balance")));
  }

  @Override
  public Uni<ChainHead> head() {
    return rpc.call(JsonRpcClient.Call.of("eth_getBlockByNumber", "latest", false))
        .onItem()
        .transform(
            b -> {
              if (b.isNull()) {
                throw rpc.unavailable("eth_getBlockByNumber(latest) answered no block", null);
              }
              JsonNode fee = b.get("baseFeePerGas");
              return new ChainHead(
                  rpc.number(b.get("number"), "number"),
                  rpc.hash(b.get("hash"), "hash"),
                  rpc.number(b.get("timestamp"), "timestamp"),
                  fee == null || fee.isNull()
                      ? BigInteger.ZERO
                      : rpc.bigNumber(fee, "baseFeePerGas"));
            });
  }

  @Override
  public Uni<SendOutcome> sendRawTransaction(Bytes signedTransaction) {
    Hash32 tx = Keccak.hash(signedTransaction.unsafeArray());
    return rpc.exchange(JsonRpcClient.Call.of("eth_sendRawTransaction", signedTransaction.toHex()))
        .onItem()
        .transformToUni(
            reply -> {
              if (reply instanceof JsonRpcClient.Reply.Error e) {
                return refused(tx, e.message());
              }
              return Uni.createFrom().<SendOutcome>item(new SendOutcome.Accepted(tx));
            })
        .onFailure(RejectedException.class)
        .recoverWithItem(f -> new SendOutcome.Unreachable(tx, f.getMessage()));
  }

  private Uni<SendOutcome> refused(Hash32 tx, String message) {
    SendOutcome outcome = NodeRefusals.classify(tx, message);
    if (!(outcome instanceof SendOutcome.Refused r)
        || r.refusal() != SendOutcome.Refusal.NONCE_TOO_LOW) {
      return Uni.createFrom().item(outcome);
    }
    // The nonce is used: by this transaction (mined already) or by another one.
    return receipt(tx)
        .onItem()
        .transform(
            receipt -> receipt.<SendOutcome>map(SendOutcome.AlreadyMined::new).orElse(outcome))
        .onFailure(RejectedException.class)
        .recoverWithItem(
            f ->
                new SendOutcome.Unreachable(
                    tx, "refused as \"" + message + "\", then its receipt: " + f.getMessage()));
  }

  @Override
  public Uni<Optional<Receipt>> receipt(Hash32 txHash) {
    return rpc.call(JsonRpcClient.Call.of("eth_getTransactionReceipt", txHash.toHex()))
        .onItem()
        .transform(r -> r.isNull() ? Optional.<Receipt>empty() : Optional.of(receipt(txHash, r)));
  }

  private Receipt receipt(Hash32 txHash, JsonNode r) {
    JsonNode price = r.get("effectiveGasPrice");
    return new Receipt(
        txHash,
        rpc.number(r.get("blockNumber"), "blockNumber"),
        rpc.hash(r.get("blockHash"), "blockHash"),
        Math.toIntExact(rpc.number(r.get("transactionIndex"), "transactionIndex")),
        rpc.number(r.get("status"), "status") == 1,
        rpc.number(r.get("gasUsed"), "gasUsed"),
        price == null || price.isNull()
            ? BigInteger.ZERO
            : rpc.bigNumber(price, "effectiveGasPrice"));
  }

  @Override
  public Uni<NodeReply> read(String method, String paramsJson) {
    List<JsonNode> params = new ArrayList<>();
    try {
      JSON.readTree(paramsJson).forEach(params::add);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("params of " + method + " are not a JSON array", e);
    }
    return rpc.exchange(new JsonRpcClient.Call(method, params))
        .onItem()
        .transform(
            reply ->
                reply instanceof JsonRpcClient.Reply.Error e
                    ? new NodeReply.Error(e.code(), e.message())
                    : new NodeReply.Result(
                        ((JsonRpcClient.Reply.Result) reply).value().toString()));
  }
}
