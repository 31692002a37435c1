package io.preconf.functions.json;

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
import io.preconf.core.types.Hash32;
import io.preconf.core.types.MalformedValueException;
import io.preconf.core.wire.WireBlock;
import io.preconf.core.wire.WireCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Reads each function's request body into the core's request, or into the coded rejection naming
 * what is wrong with it.
 */
public final class Requests {
  private static final Set<String> PRECONFIRM_FIELDS =
      Set.of("transactions", "atomic", "targetSlot");
  private static final Set<String> STATUS_FIELDS = Set.of("chainId", "txHash");
  private static final Set<String> LANE_FIELDS = Set.of("chainId", "from", "targetSlot", "limit");

  /** Entries a {@code lane} call gets when it names no limit. */
  public static final int DEFAULT_LANE_LIMIT = 100;

  private Requests() {}

  /** A preconfirmation to validate, with the raw transaction it must promise when given. */
  public record Validate(Preconfirmation preconfirmation, Bytes rawTransaction) {}

  public static Result<PreconfirmRequest> preconfirm(JsonNode raw) {
    return read(() -> preconfirmRequest(raw));
  }

  public static Result<Validate> validate(JsonNode raw) {
    try {
      JsonNode body = Bodies.object("validate", raw, INVALID_PRECONFIRMATION);
      Result<Preconfirmation> parsed = WireCodec.fromWire(Bodies.preconfirmation(body));
      if (!parsed.isOk()) {
        return Result.err(parsed.rejection());
      }
      Bytes rawTransaction = null;
      JsonNode rawTx = body.get("rawTransaction");
      if (rawTx != null && !rawTx.isNull()) {
        rawTransaction =
            Bytes.fromHex(
                "rawTransaction", Bodies.text("rawTransaction", rawTx, INVALID_TRANSACTION));
      }
      return Result.ok(new Validate(parsed.value(), rawTransaction));
    } catch (RequestError e) {
      return Result.err(e.rejection());
    } catch (MalformedValueException e) {
      return Result.err(INVALID_TRANSACTION, Reason.MALFORMED_HEX, e.getMessage());
    }
  }

  /**
   * The transaction hash is read after the chain id, but its problems are left for the status
   * lookup to report once it has checked the chain: see {@link StatusRequest}.
   */
  public static Result<StatusRequest> status(JsonNode raw) {
    return read(
        () -> {
          JsonNode body = Bodies.object("status", raw, VALIDATION_FAILED);
          Bodies.onlyFields("status", body, STATUS_FIELDS);
          long chainId = Bodies.safeLong("chainId", body.get("chainId"), VALIDATION_FAILED);
          return new StatusRequest(chainId, txHash(body.get("txHash")));
        });
  }

  /**
   * A {@code lane} call: {@code chainId}, {@code from} (default 1), {@code targetSlot} (optional),
   * {@code limit} (default {@value #DEFAULT_LANE_LIMIT}).
   */
  public static Result<LaneRequest> lane(JsonNode raw, boolean authorised) {
    return read(
        () -> {
          JsonNode body = Bodies.object("lane", raw, VALIDATION_FAILED);
          Bodies.onlyFields("lane", body, LANE_FIELDS);
          long chainId = Bodies.safeLong("chainId", body.get("chainId"), VALIDATION_FAILED);
          long from = optional(body, "from", 1);
          JsonNode slot = body.get("targetSlot");
          OptionalLong targetSlot =
              slot == null || slot.isNull()
                  ? OptionalLong.empty()
                  : OptionalLong.of(Bodies.safeLong("targetSlot", slot, VALIDATION_FAILED));
          long limit = optional(body, "limit", DEFAULT_LANE_LIMIT);
          return new LaneRequest(
              chainId, from, targetSlot, (int) Math.min(limit, Integer.MAX_VALUE), authorised);
        });
  }

  private static long optional(JsonNode body, String field, long absent) {
    JsonNode v = body.get(field);
    return v == null || v.isNull() ? absent : Bodies.safeLong(field, v, VALIDATION_FAILED);
  }

  public static Result<WireBlock> block(JsonNode raw) {
    return read(() -> FinalityJson.block(raw));
  }

  private static <T> Result<T> read(Supplier<T> reader) {
    try {
      return Result.ok(reader.get());
    } catch (RequestError e) {
      return Result.err(e.rejection());
    }
  }

  private static PreconfirmRequest preconfirmRequest(JsonNode raw) {
    JsonNode body = Bodies.object("preconfirm", raw, VALIDATION_FAILED);
    Bodies.onlyFields("preconfirm", body, PRECONFIRM_FIELDS);
    JsonNode txs = body.get("transactions");
    if (txs == null || txs.isNull()) {
      throw new RequestError(
          VALIDATION_FAILED, Reason.MISSING_FIELD, "field \"transactions\" is missing");
    }
    if (!txs.isArray()) {
      throw new RequestError(
          VALIDATION_FAILED,
          Reason.MALFORMED_REQUEST,
          "field \"transactions\" must be a list of 0x hex strings, got " + abbreviate(txs));
    }
    List<String> hex = new ArrayList<>(txs.size());
    for (JsonNode tx : txs) {
      // A non-string element is kept as its JSON text: the engine then refuses that index alone,
      // naming the value, instead of the whole request.
      hex.add(tx.isTextual() ? tx.asText() : tx.isNull() ? null : tx.toString());
    }
    JsonNode atomic = body.get("atomic");
    if (atomic != null && !atomic.isNull() && !atomic.isBoolean()) {
      throw new RequestError(
          VALIDATION_FAILED,
          Reason.MALFORMED_REQUEST,
          "field \"atomic\" must be true or false, got " + atomic);
    }
    JsonNode slot = body.get("targetSlot");
    Long targetSlot = null;
    if (slot != null && !slot.isNull()) {
      targetSlot = Bodies.safeLong("targetSlot", slot, VALIDATION_FAILED);
    }
    return new PreconfirmRequest(hex, atomic != null && atomic.asBoolean(false), targetSlot);
  }

  private static Result<Hash32> txHash(JsonNode value) {
    try {
      return Result.ok(Hash32.fromHex("txHash", Bodies.text("txHash", value, VALIDATION_FAILED)));
    } catch (RequestError e) {
      return Result.err(e.rejection());
    } catch (MalformedValueException e) {
      return Result.err(Rejection.of(VALIDATION_FAILED, reasonOf(e), e.getMessage()));
    }
  }

  private static Reason reasonOf(MalformedValueException e) {
    return e.getMessage().contains(" bytes, got ") ? Reason.WRONG_LENGTH : Reason.MALFORMED_HEX;
  }

  private static String abbreviate(JsonNode node) {
    String s = node.toString();
    return s.length() > 80 ? s.substring(0, 77) + "..." : s;
  }
}
