package io.preconf.wire;

import static io.preconf.core.error.ErrorCode.INVALID_PRECONFIRMATION;
import static io.preconf.core.error.ErrorCode.INVALID_TRANSACTION;
import static io.preconf.core.error.ErrorCode.VALIDATION_FAILED;

import com.fasterxml.jackson.databind.JsonNode;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.engine.PreconfirmRequest;
import io.preconf.core.error.Reason;
import io.preconf.core.error.Rejection;
import io.preconf.core.error.Result;
import io.preconf.core.pull.LaneRequest;
import io.preconf.core.status.StatusRequest;
import io.preconf.core.types.Bytes;
import io.preconf.core.wire.WireBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
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
  private static final Set<String> LANE_FIELDS = Set.of("chainId", "from", "targetSlot", "limit");
  private static final Set<String> BLOCK_FIELDS =
      Set.of("chainId", "number", "hash", "parentHash", "slot", "timestamp", "transactions");

  /** Entries a {@code lane} call gets when it names no limit. */
  public static final int DEFAULT_LANE_LIMIT = 100;

  /**
   * Preconfirmations one {@code validate} call may carry: 500 of about 8 KB each keep the body
   * under AWS Lambda's 6 MB payload, and the cold checks of one call under a tenth of a second of a
   * core.
   */
  public static final int MAX_VALIDATIONS = 500;

  private FunctionRequests() {}

  /**
   * {@code validate}'s input: a preconfirmation and, optionally, the raw transaction it promises.
   */
  public record Validation(Preconfirmation preconfirmation, Bytes rawTransaction) {}

  /**
   * {@code validate}'s input as a whole: one preconfirmation, or ({@code batch}) the list a {@code
   * {"preconfirmations": [..]}} body carries; each is read on its own, so that one malformed
   * preconfirmation is answered as {@code validate} answers it alone and the others are checked.
   */
  public record Validations(boolean batch, List<Result<Validation>> items) {
    public Validations {
      items = List.copyOf(items);
    }

    /** One preconfirmation, read or refused. */
    public static Validations one(Result<Validation> item) {
      return new Validations(false, List.of(item));
    }
  }

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
   * {@code validate}'s body: a body with a {@code "preconfirmations"} field is the batch form,
   * whose list holds what the single form takes (fields beside it are ignored, so that a preconfirm
   * answer can be sent as it is); any other body is one preconfirmation.
   *
   * @throws WireFormatException VALIDATION_FAILED for a batch refused whole: its list missing, not
   *     a list, or longer than {@value #MAX_VALIDATIONS} ({@code TOO_MANY_PRECONFIRMATIONS})
   */
  public static Validations validations(JsonNode body) {
    if (!isBatch(body)) {
      return Validations.one(readValidation(body));
    }
    Fields f = Fields.of("validate", body, VALIDATION_FAILED);
    List<JsonNode> list = f.list("preconfirmations");
    checkBatchSize(list.size());
    List<Result<Validation>> items = new ArrayList<>(list.size());
    list.forEach(p -> items.add(readValidation(p)));
    return new Validations(true, items);
  }

  /** Whether {@code body} is {@code validate}'s batch form. */
  public static boolean isBatch(JsonNode body) {
    return body != null && body.isObject() && body.has("preconfirmations");
  }

  /**
   * Refuses a batch of {@code size} preconfirmations above {@value #MAX_VALIDATIONS}.
   *
   * @throws WireFormatException VALIDATION_FAILED, TOO_MANY_PRECONFIRMATIONS, naming the size
   */
  static void checkBatchSize(int size) {
    if (size > MAX_VALIDATIONS) {
      throw new WireFormatException(
          Rejection.of(
              VALIDATION_FAILED,
              Reason.TOO_MANY_PRECONFIRMATIONS,
              "\"preconfirmations\" holds "
                  + size
                  + " preconfirmations, above the limit of "
                  + MAX_VALIDATIONS
                  + " per call"));
    }
  }

  private static Result<Validation> readValidation(JsonNode body) {
    try {
      return Result.ok(validate(body));
    } catch (WireFormatException e) {
      return Result.err(e.rejection());
    }
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
   * {@code {"chainId": 167000, "from": 1, "targetSlot": null, "limit": 100}}: {@code from} defaults
   * to 1, {@code limit} to {@value #DEFAULT_LANE_LIMIT}; their ranges are the use case's to check.
   *
   * @param authorised whether the caller may see the signed bytes of transactions not yet included
   */
  public static LaneRequest lane(JsonNode body, boolean authorised) {
    Fields f = Fields.of("lane", body, VALIDATION_FAILED);
    f.onlyFields(LANE_FIELDS);
    long chainId = f.number("chainId");
    Long from = f.optionalNumber("from");
    Long slot = f.optionalNumber("targetSlot");
    Long limit = f.optionalNumber("limit");
    return new LaneRequest(
        chainId,
        from == null ? 1 : from,
        slot == null ? OptionalLong.empty() : OptionalLong.of(slot),
        (int) Math.min(limit == null ? DEFAULT_LANE_LIMIT : limit, Integer.MAX_VALUE),
        authorised);
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
