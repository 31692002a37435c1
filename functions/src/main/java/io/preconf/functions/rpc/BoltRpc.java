package io.preconf.functions.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.compat.BoltSignatures;
import io.preconf.core.crypto.Keccak;
import io.preconf.core.crypto.Secp256k1Backend;
import io.preconf.core.engine.PreconfirmRequest;
import io.preconf.core.engine.PreconfirmResult;
import io.preconf.core.engine.PreconfirmationEngine;
import io.preconf.core.engine.Signers;
import io.preconf.core.error.Reason;
import io.preconf.core.error.RejectedException;
import io.preconf.core.error.Rejection;
import io.preconf.core.rollup.RollupConfig;
import io.preconf.core.rollup.Rollups;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.preconf.core.types.MalformedValueException;
import io.preconf.wire.PreconfirmationCodec;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Bolt's commitments RPC (bolt-sidecar v0.4.0-alpha, {@code api/commitments/spec.rs}) on a served
 * rollup: {@code bolt_requestInclusion} promises the request's transactions, all or none, for its
 * slot, and answers Bolt's commitment signed by the engine's key, with the engine's own
 * preconfirmations beside it; {@code bolt_metadata} and {@code bolt_getVersion} describe the engine
 * in Bolt's shapes. Errors carry Bolt's codes (spec section 8.2).
 */
@ApplicationScoped
public class BoltRpc {
  /** The request's header: {@code <address>:<0x r || s || v>}. */
  static final String SIGNATURE_HEADER = "x-bolt-signature";

  static final int DUPLICATE_REQUEST = -32001;
  static final int MISSING_SIGNATURE = -32002;
  static final int INVALID_SIGNATURE = -32003;
  static final int SIGNATURE_RECOVERY = -32004;
  static final int CONSENSUS = -32005;
  static final int VALIDATION = -32006;
  static final int MALFORMED_HEADER = -32007;
  static final int INVALID_REQUEST = -32600;

  /**
   * Slot rules are the consensus side of a Bolt request; the rest of the engine's checks are not.
   */
  private static final Set<Reason> SLOT_REASONS =
      Set.of(
          Reason.SLOT_IN_PAST,
          Reason.SLOT_BEYOND_LOOKAHEAD,
          Reason.SLOT_IN_FUTURE,
          Reason.SLOT_CAPACITY_EXCEEDED);

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  @Inject PreconfirmationEngine engine;
  @Inject Signers signers;
  @Inject Secp256k1Backend secp256k1;
  @Inject Rollups rollups;

  @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev")
  String version;

  /** What a request holds once read: its slot and transactions, and the digest they sign. */
  private record Inclusion(long slot, List<String> txs, Hash32 digest) {}

  /**
   * {@code [{slot, txs}]} with the {@code X-Bolt-Signature} header: the request is read, its
   * signature checked against the header's address, and its transactions promised atomically for
   * {@code slot} on this chain. Answers {@code {slot, txs, signature, preconfirmations}}.
   */
  Uni<JsonNode> requestInclusion(
      ChainId chain, String method, ArrayNode params, Map<String, String> headers) {
    return Uni.createFrom()
        .item(() -> authenticated(chain, params.get(0), headers.get(SIGNATURE_HEADER)))
        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
        .onItem()
        .transformToUni(
            request ->
                engine
                    .preconfirm(new PreconfirmRequest(request.txs(), true, request.slot()))
                    .emitOn(Infrastructure.getDefaultWorkerPool())
                    .onItem()
                    .transform(result -> answer(request, promised(result))));
  }

  /** The request read and its signature checked: the curve work, so off the event loop. */
  private Inclusion authenticated(ChainId chain, JsonNode body, String header) {
    Inclusion request = read(chain, body);
    Address signer = authenticate(header, request.digest());
    if (!signers.canSign()) {
      throw new RejectedException(
          Rejection.backendUnavailable(
              "this process holds no signing key, so it cannot commit (request signed by "
                  + signer
                  + ")"));
    }
    return request;
  }

  private Inclusion read(ChainId chain, JsonNode body) {
    if (body == null || !body.isObject()) {
      throw invalid("params[0] must be {\"slot\", \"txs\"}, got " + body);
    }
    JsonNode slot = body.get("slot");
    if (slot == null || !slot.isIntegralNumber() || !slot.canConvertToLong() || slot.asLong() < 0) {
      throw invalid("slot must be a slot number (u64), got " + slot);
    }
    JsonNode txs = body.get("txs");
    if (txs == null || !txs.isArray() || txs.isEmpty()) {
      throw invalid("txs must be a non-empty array of signed transactions, got " + txs);
    }
    List<String> hex = new ArrayList<>(txs.size());
    List<Hash32> hashes = new ArrayList<>(txs.size());
    for (int i = 0; i < txs.size(); i++) {
      JsonNode tx = txs.get(i);
      if (!tx.isTextual()) {
        throw invalid("txs[" + i + "] must be a signed transaction as 0x hex, got " + tx);
      }
      Bytes raw;
      try {
        raw = Bytes.fromHex("txs[" + i + "]", tx.asText());
      } catch (MalformedValueException e) {
        throw invalid(e.getMessage());
      }
      Optional<Rejection> elsewhere = EthereumRpc.otherChain(chain, tx.asText(), secp256k1);
      if (elsewhere.isPresent()) {
        throw validation(elsewhere.get());
      }
      hex.add(tx.asText());
      hashes.add(Keccak.hash(raw.unsafeArray()));
    }
    return new Inclusion(slot.asLong(), hex, BoltSignatures.digest(hashes, slot.asLong()));
  }

  /** The header's address, once the signature it carries recovers to it. */
  private Address authenticate(String header, Hash32 digest) {
    if (header == null || header.isEmpty()) {
      throw new RpcError(MISSING_SIGNATURE, "Missing 'x-bolt-signature' header");
    }
    int colon = header.indexOf(':');
    if (colon < 0 || header.indexOf(':', colon + 1) >= 0) {
      throw new RpcError(
          MALFORMED_HEADER,
          "Malformed authentication header: expected <address>:<signature>, got \""
              + brief(header)
              + "\"");
    }
    Address claimed;
    try {
      claimed = Address.fromHex("the header's address", header.substring(0, colon));
    } catch (MalformedValueException e) {
      throw new RpcError(MALFORMED_HEADER, "Malformed authentication header: " + e.getMessage());
    }
    Bytes signature;
    try {
      signature = Bytes.fromHex("the header's signature", header.substring(colon + 1));
    } catch (MalformedValueException e) {
      throw new RpcError(INVALID_SIGNATURE, "Invalid signature: " + e.getMessage());
    }
    if (signature.size() != 65) {
      throw new RpcError(
          INVALID_SIGNATURE,
          "Invalid signature: it must be 65 bytes r || s || v, got " + signature.size());
    }
    Optional<Address> recovered = BoltSignatures.recover(digest, signature, secp256k1);
    if (recovered.isEmpty()) {
      throw new RpcError(
          SIGNATURE_RECOVERY,
          "Signature recovery error: no key signed "
              + digest
              + " with "
              + brief(signature.toHex())
              + " (v must be 0, 1, 27, 28 or at least 35, s in the lower half)");
    }
    if (!recovered.get().equals(claimed)) {
      throw new RpcError(
          INVALID_SIGNATURE,
          "Invalid signature: it recovers to "
              + recovered.get()
              + ", not to the header's address "
              + claimed);
    }
    return claimed;
  }

  /** The preconfirmations, or Bolt's error for the engine's refusal. */
  private static List<Preconfirmation> promised(PreconfirmResult r) {
    Rejection why = r.error() != null ? r.error() : null;
    if (why == null && !r.rejected().isEmpty()) {
      why = r.rejected().get(0).rejection();
    }
    if (why == null) {
      return r.preconfirmations();
    }
    if (SLOT_REASONS.contains(why.reason())) {
      throw new RpcError(CONSENSUS, "Consensus validation error: " + why.message(), why);
    }
    throw validation(why);
  }

  private static RpcError validation(Rejection why) {
    return new RpcError(VALIDATION, "Validation failed: " + why.message(), why);
  }

  private JsonNode answer(Inclusion request, List<Preconfirmation> promised) {
    ObjectNode o = NODES.objectNode();
    o.put("slot", request.slot());
    ArrayNode txs = o.putArray("txs");
    request.txs().forEach(txs::add);
    o.put("signature", BoltSignatures.sign(signers.ecdsa(), request.digest()).toHex());
    ArrayNode preconfirmations = o.putArray("preconfirmations");
    promised.forEach(p -> preconfirmations.add(PreconfirmationCodec.toNode(p)));
    return o;
  }

  /**
   * Bolt's metadata, from this rollup's limits: the gas one slot's commitments may use, the least
   * priority fee promised, how many account states one slot's commitments touch at most (one sender
   * each), and the version.
   */
  Uni<JsonNode> metadata(ChainId chain, String method, ArrayNode params) {
    RollupConfig rollup = rollups.find(chain).orElseThrow();
    ObjectNode o = NODES.objectNode();
    o.put("max_committed_gas_per_slot", rollup.maxGasPerSlot());
    o.put("min_inclusion_profit", rollup.minPriorityFeeWei());
    o.put("max_account_states_size", rollup.maxPreconfirmationsPerSlot());
    o.put("version", versionString());
    return Uni.createFrom().item(o);
  }

  Uni<JsonNode> getVersion(ChainId chain, String method, ArrayNode params) {
    return Uni.createFrom().item(TextNode.valueOf(versionString()));
  }

  private String versionString() {
    return "preconf-engine-v" + version;
  }

  private static RpcError invalid(String what) {
    return new RpcError(INVALID_REQUEST, "Invalid request: " + what);
  }

  private static String brief(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "...";
  }
}
