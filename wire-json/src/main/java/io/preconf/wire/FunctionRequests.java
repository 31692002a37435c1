package io.preconf.wire;

import static io.preconf.core.error.ErrorCode.INVALID_PRECONFIRMATION;
import static io.preconf.core.error.ErrorCode.INVALID_TRANSACTION;
import static io.preconf.core.error.ErrorCode.VALIDATION_FAILED;

import com.fasterxml.jackson.databind.JsonNode;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.engine.PreconfirmRequest;
import io.preconf.core.error.Result;
import io.preconf.core.status.StatusRequest;
import io.preconf.core.types.Bytes;
import io.preconf.core.wire.WireBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The inputs of the functions (spec section 5), read strictly by {@link Fields}: a malformed body
 * is a {@link WireFormatException} whose rejection is the answer. Bodies with a fixed set of fields
 * refuse any other, so that a typo is named rather than ignored.
 */
public final class FunctionRequests {
  private static final Set<String> PRECONFIRM_FIELDS =
      Set.of("transactions", "atomic", "targetSlot");
  private static final Set<String> STATUS_FIELDS = Set.of("chainId", "txHash");
  private static final Set<String> BLOCK_FIELDS =
      Set.of("chainId", "number", "hash", "parentHash", "slot", "timestamp", "transactions");

  private FunctionRequests() {}

  /**
   * {@code validate}'s input: a preconfirmation and, optionally, the raw transaction it promises.
   */
  public record Validation(Preconfirmation preconfirmation, Bytes rawTransaction) {}

  /** {@code {"transactions": ["0x.."], "atomic": false, "targetSlot": null}}. */
  public static PreconfirmRequest preconfirm(JsonNode body) {
    Fields f = Fields.of("preconfirm", body, VALIDATION_FAILED);
    f.onlyFields(PRECONFIRM_FIELDS);
    List<JsonNode> txs = f.list("transactions");
    List<String> hex = new ArrayList<>(txs.size());
    for (JsonNode tx : txs) {
      // A non-string element is kept as its JSON text: the engine then refuses that index alone,
      // naming the value, instead of the whole request.
      hex.add(tx.isTextual() ? tx.asText() : tx.isNull() ? null : tx.toString());
    }
    Boolean atomic = f.optionalBool("atomic");
    return new PreconfirmRequest(hex, atomic != null && atomic, f.optionalNumber("targetSlot"));
  }

  /**
   * One preconfirmation object, {@code "rawTransaction"} optionally beside it; fields a response
   * adds ({@code status}, {@code finality}) are ignored.
   */
  public static Validation validate(JsonNode body) {
    Fields f = Fields.of("validate", body, INVALID_PRECONFIRMATION);
    Preconfirmation p = PreconfirmationCodec.read(f);
    return new Validation(p, f.withCode(INVALID_TRANSACTION).optionalBytes("rawTransaction"));
  }

  /**
   * {@code {"chainId": 167000, "txHash": "0x.."}}. The hash's problems are kept, not thrown: the
   * status lookup reports them only once it has checked the chain, see {@link StatusRequest}.
   */
  public static StatusRequest status(JsonNode body) {
    Fields f = Fields.of("status", body, VALIDATION_FAILED);
    f.onlyFields(STATUS_FIELDS);
    long chainId = f.number("chainId");
    try {
      return new StatusRequest(chainId, Result.ok(f.hash("txHash")));
    } catch (WireFormatException e) {
      return new StatusRequest(chainId, Result.err(e.rejection()));
    }
  }

  /**
   * One rollup block for {@code reconcile}. Types are checked here; what the fields mean (the chain
   * served, hash lengths, slot or timestamp) is checked by {@code Block.parse}.
   */
  public static WireBlock block(JsonNode body) {
    Fields f = Fields.of("reconcile", body, VALIDATION_FAILED);
    f.onlyFields(BLOCK_FIELDS);
    List<String> txs = f.has("transactions") ? f.texts("transactions") : null;
    return new WireBlock(
        f.optionalNumber("chainId"),
        f.optionalNumber("number"),
        f.optionalText("hash"),
        f.optionalText("parentHash"),
        f.optionalNumber("slot"),
        f.optionalNumber("timestamp"),
        txs);
  }
}
