package io.preconf.functions.rpc;

import static io.preconf.wire.JsonRpcCodec.INVALID_PARAMS;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.compat.FabricCommitments;
import io.preconf.core.compat.FabricCommitments.InclusionPayload;
import io.preconf.core.compat.FabricCommitments.Request;
import io.preconf.core.crypto.Secp256k1Backend;
import io.preconf.core.engine.PreconfirmRequest;
import io.preconf.core.engine.PreconfirmResult;
import io.preconf.core.engine.PreconfirmationEngine;
import io.preconf.core.engine.Signers;
import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.RejectedException;
import io.preconf.core.error.Rejection;
import io.preconf.core.error.Result;
import io.preconf.core.node.NodeReply;
import io.preconf.core.port.Clock;
import io.preconf.core.port.CommitmentRequests;
import io.preconf.core.port.StatusQuery;
import io.preconf.core.rollup.RollupConfig;
import io.preconf.core.rollup.Rollups;
import io.preconf.core.tx.DecodedTransaction;
import io.preconf.core.tx.TransactionDecoder;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.preconf.core.types.MalformedValueException;
import io.preconf.functions.config.PreconfConfig;
import io.preconf.wire.PreconfirmationCodec;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The eth-fabric Commitments API (commitments-specs {@code specs/commitments-api.md}, reference
 * gateway eth-fabric/preconfirmation-gateway): {@code commitmentRequest} promises the signed
 * transaction of an inclusion payload (type 1) for the payload's slot on the transaction's rollup
 * and answers the signed commitment; {@code commitmentResult} answers it again by request hash;
 * {@code slots} lists what the upcoming slots offer; {@code fee} quotes a request. Spec section
 * 8.3.
 *
 * <p>A commitment is signed in one of two forms: the spec's, 65 bytes {@code r || s || v} over the
 * commitment's message hash, which anyone holding the commitment can check; and the reference
 * gateway's, over the Commit-Boost signing root of that hash, with the nonce and signing id beside
 * it. The JSON-RPC methods answer in the reference's form, the REST routes in the spec's.
 */
@ApplicationScoped
public class FabricGateway {
  /** Commit-Boost's default proxy nonce, {@code u64::MAX - 1}. */
  static final long NONCE = -2;

  /** How many slots ahead {@code slots} lists at most, as the reference's window does. */
  static final int SLOTS_LISTED = 64;

  private static final BigInteger GWEI = BigInteger.TEN.pow(9);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Which of the two signature forms an answer carries. */
  public enum Form {
    SPEC,
    REFERENCE
  }

  @Inject PreconfirmationEngine engine;
  @Inject Signers signers;
  @Inject Secp256k1Backend secp256k1;
  @Inject Rollups rollups;
  @Inject RollupNodes nodes;
  @Inject StatusQuery statuses;
  @Inject CommitmentRequests kept;
  @Inject Clock clock;
  @Inject PreconfConfig config;

  /** A request read and checked: what it asks, its hash, and the transaction it carries. */
  private record Read(
      Request request, Hash32 hash, InclusionPayload payload, DecodedTransaction tx) {}

  /**
   * Promises the request's transaction and answers the signed commitment.
   *
   * @param endpoint the chain of the endpoint it came through, or empty for the chain-free routes
   */
  public Uni<JsonNode> commitmentRequest(Optional<ChainId> endpoint, JsonNode body, Form form) {
    return Uni.createFrom()
        .item(() -> read(endpoint, body))
        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
        .onItem()
        .transformToUni(
            r ->
                engine
                    .preconfirm(
                        new PreconfirmRequest(
                            List.of(r.tx().raw().toHex()), false, r.payload().slot()))
                    .onItem()
                    .transform(FabricGateway::promised)
                    .onItem()
                    .call(
                        p ->
                            kept.keep(
                                new CommitmentRequests.Kept(
                                    r.hash(), p.chainId(), p.txHash(), r.request())))
                    .emitOn(Infrastructure.getDefaultWorkerPool())
                    .onItem()
                    .transform(p -> signed(r.request(), r.hash(), p, form)));
  }

  /** The signed commitment of a promised request, by its hash. */
  public Uni<JsonNode> commitmentResult(Optional<ChainId> endpoint, JsonNode hashText, Form form) {
    Hash32 hash;
    try {
      if (hashText == null || !hashText.isTextual()) {
        throw new MalformedValueException(Reason.MALFORMED_HEX, "it is not a string");
      }
      hash = Hash32.fromHex("request_hash", hashText.asText());
    } catch (MalformedValueException e) {
      throw invalid(
          "Invalid request hash",
          Reason.MALFORMED_HEX,
          "request_hash must be 32 bytes as 0x hex, got " + hashText + " (" + e.getMessage() + ")");
    }
    return kept.find(hash)
        .onItem()
        .transformToUni(
            found -> {
              CommitmentRequests.Kept k =
                  found
                      .filter(f -> endpoint.isEmpty() || endpoint.get().equals(f.chainId()))
                      .orElseThrow(() -> notFound(hash));
              return statuses
                  .find(k.chainId(), k.txHash())
                  .onItem()
                  .transform(
                      tracked ->
                          signed(
                              k.request(),
                              hash,
                              tracked.orElseThrow(() -> notFound(hash)).promise().preconfirmation(),
                              form));
            })
        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
  }

  /**
   * The slots a request may name now, per served chain (each on its own rollup's clock): from the
   * next slot to the end of the rollup's lookahead, {@value #SLOTS_LISTED} at most, each offering
   * inclusion (type 1).
   */
  public JsonNode slots(Optional<ChainId> endpoint) {
    long now = clock.nowMillis();
    Map<Long, List<Long>> offered = new TreeMap<>();
    for (RollupConfig rollup : rollups.all()) {
      if (endpoint.isPresent() && !endpoint.get().equals(rollup.chainId())) {
        continue;
      }
      long current = rollup.slotAt(now);
      for (long s = current + 1;
          s <= current + Math.min(rollup.lookaheadSlots(), SLOTS_LISTED);
          s++) {
        offered.computeIfAbsent(s, x -> new ArrayList<>()).add(rollup.chainId().value());
      }
    }
    ObjectNode o = NODES.objectNode();
    ArrayNode slots = o.putArray("slots");
    offered.forEach(
        (slot, chains) -> {
          ObjectNode s = slots.addObject().put("slot", slot);
          ArrayNode offerings = s.putArray("offerings");
          chains.forEach(
              c -> {
                ObjectNode offering = offerings.addObject().put("chain_id", c);
                offering.putArray("commitment_types").add(FabricCommitments.INCLUSION);
              });
        });
    return o;
  }

  /**
   * The price of a request, in gwei: the node's gas price times the transaction's gas limit, which
   * is the gas a promise takes from its slot's budget. Nothing is promised or kept.
   */
  public Uni<JsonNode> fee(Optional<ChainId> endpoint, JsonNode body, Form form) {
    Read r = read(endpoint, body);
    var node =
        nodes
            .of(r.tx().chainId())
            .orElseThrow(
                () ->
                    new RejectedException(
                        Rejection.backendUnavailable(
                            "chain "
                                + r.tx().chainId()
                                + " has no node to ask for the gas price")));
    return node.read("eth_gasPrice", "[]")
        .onItem()
        .transform(
            reply -> {
              if (!(reply instanceof NodeReply.Result result)) {
                throw new RejectedException(
                    Rejection.backendUnavailable(
                        "the node of chain " + r.tx().chainId() + " gave no gas price: " + reply));
              }
              BigInteger price = new BigInteger(result.json().replace("\"", "").substring(2), 16);
              long gwei =
                  price.multiply(BigInteger.valueOf(r.tx().gasLimit())).divide(GWEI).longValue();
              ObjectNode o = NODES.objectNode();
              o.put(
                  form == Form.SPEC ? "payload" : "fee_payload",
                  FabricCommitments.feePayload(r.hash(), gwei).toHex());
              o.put("commitment_type", r.request().commitmentType());
              return o;
            });
  }

  /** The request's fields and payload, each checked, the first problem named. */
  private Read read(Optional<ChainId> endpoint, JsonNode body) {
    if (body == null || !body.isObject()) {
      throw invalid(
          Reason.MALFORMED_REQUEST, "it must be {commitment_type, payload, slasher}, got " + body);
    }
    JsonNode type = body.get("commitment_type");
    if (type == null || !type.isIntegralNumber() || !type.canConvertToLong() || type.asLong() < 0) {
      throw invalid(Reason.MISSING_FIELD, "commitment_type must be a number, got " + type);
    }
    if (type.asLong() != FabricCommitments.INCLUSION) {
      throw invalid(
          Reason.OUT_OF_RANGE,
          "commitment_type " + type.asLong() + " is not offered; offered: [1] (inclusion)");
    }
    Bytes payload;
    Address slasher;
    try {
      payload = Bytes.fromHex("payload", text(body, "payload"));
      slasher = Address.fromHex("slasher", text(body, "slasher"));
    } catch (MalformedValueException e) {
      throw invalid(Reason.MALFORMED_HEX, e.getMessage());
    }
    if (payload.size() == 0) {
      throw invalid(Reason.MISSING_FIELD, "payload is empty");
    }
    if (slasher.equals(Address.wrap(new byte[20]))) {
      throw invalid(Reason.OUT_OF_RANGE, "slasher is the zero address");
    }
    InclusionPayload inclusion;
    try {
      inclusion = InclusionPayload.decode(payload);
    } catch (MalformedValueException e) {
      throw invalid(Reason.MALFORMED_REQUEST, e.getMessage());
    }
    if (inclusion.slot() == 0) {
      throw invalid(Reason.SLOT_IN_PAST, "the payload's slot is 0");
    }
    Result<DecodedTransaction> tx =
        TransactionDecoder.decodeHex(inclusion.signedTx().toHex(), secp256k1);
    if (!tx.isOk()) {
      throw invalid(tx.rejection().reason(), "signed_tx: " + tx.rejection().message());
    }
    ChainId chain = tx.value().chainId();
    if (rollups.find(chain).isEmpty()) {
      Rejection why = rollups.unsupportedChain(ErrorCode.VALIDATION_FAILED, chain.value());
      throw invalid(why.reason(), "signed_tx: " + why.message());
    }
    if (endpoint.isPresent()) {
      EthereumRpc.otherChain(endpoint.get(), tx.value().raw().toHex(), secp256k1)
          .ifPresent(
              why -> {
                throw invalid(why.reason(), "signed_tx: " + why.message());
              });
    }
    Request request = new Request(type.asLong(), payload, slasher);
    return new Read(request, FabricCommitments.requestHash(request), inclusion, tx.value());
  }

  private static String text(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || !v.isTextual()) {
      throw invalid(Reason.MISSING_FIELD, field + " must be 0x hex, got " + v);
    }
    return v.asText();
  }

  private static Preconfirmation promised(PreconfirmResult r) {
    Rejection why = r.error();
    if (why == null && !r.rejected().isEmpty()) {
      why = r.rejected().get(0).rejection();
    }
    if (why == null) {
      return r.preconfirmations().get(0);
    }
    if (why.reason() == Reason.BACKEND_UNAVAILABLE || why.reason() == Reason.INTERNAL_ERROR) {
      throw new RejectedException(why);
    }
    throw new RpcError(INVALID_PARAMS, "Invalid commitment request: " + why.message(), why);
  }

  /** {@code SignedCommitment} in {@code form}, the engine's preconfirmation beside it. */
  private JsonNode signed(Request request, Hash32 requestHash, Preconfirmation p, Form form) {
    if (!signers.canSign()) {
      throw new RejectedException(
          Rejection.backendUnavailable("this process holds no signing key, so it cannot commit"));
    }
    Hash32 message = FabricCommitments.messageHash(request, requestHash);
    ObjectNode o = NODES.objectNode();
    ObjectNode c = o.putObject("commitment");
    c.put("commitment_type", request.commitmentType());
    c.put("payload", request.payload().toHex());
    c.put("request_hash", requestHash.toHex());
    c.put("slasher", request.slasher().toHex());
    if (form == Form.SPEC) {
      o.put("signature", signers.ecdsa().sign(message).toHex());
    } else {
      PreconfConfig.Fabric f = config.fabric();
      Hash32 signingId = Hash32.fromHex("preconf.fabric.signing-id", f.signingId());
      Hash32 root =
          FabricCommitments.signingRoot(
              message,
              signingId,
              NONCE,
              f.chainId(),
              Bytes.fromHex("preconf.fabric.genesis-fork-version", f.genesisForkVersion()));
      byte[] sig = signers.ecdsa().sign(root).unsafeArray();
      o.put("nonce", new BigInteger(Long.toUnsignedString(NONCE)));
      o.put("signing_id", signingId.toHex());
      ObjectNode s = o.putObject("signature");
      s.put("r", quantity(sig, 0));
      s.put("s", quantity(sig, 32));
      String parity = "0x" + (sig[64] - 27);
      s.put("yParity", parity);
      s.put("v", parity);
    }
    o.set("preconfirmation", PreconfirmationCodec.toNode(p));
    return o;
  }

  /** The coded error of a refusal this gateway made, for the REST routes' answer. */
  public static Optional<Rejection> coded(Throwable failure) {
    return failure instanceof RpcError e ? Optional.ofNullable(e.why) : Optional.empty();
  }

  private static String quantity(byte[] sig, int at) {
    byte[] word = new byte[32];
    System.arraycopy(sig, at, word, 0, 32);
    return "0x" + new BigInteger(1, word).toString(16);
  }

  private static RpcError invalid(Reason reason, String what) {
    return invalid("Invalid commitment request", reason, what);
  }

  private static RpcError invalid(String title, Reason reason, String what) {
    return new RpcError(
        INVALID_PARAMS,
        title + ": " + what,
        Rejection.of(ErrorCode.VALIDATION_FAILED, reason, what));
  }

  private static RpcError notFound(Hash32 hash) {
    String what = "no commitment was given for request_hash " + hash;
    return new RpcError(
        INVALID_PARAMS,
        "Commitment not found: " + what,
        Rejection.of(ErrorCode.VALIDATION_FAILED, Reason.NOT_FOUND, what));
  }
}
