package io.preconf.functions.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.preconf.core.commit.Finality;
import io.preconf.core.error.Rejection;
import io.preconf.core.status.PromiseStatus;
import io.preconf.core.wire.WireCodec;

/**
 * The JSON of {@code status}: the preconfirmation with its status, finality and violations; or
 * {@code found: false} with the error and any voided lane sequence.
 */
public final class StatusJson {
  private StatusJson() {}

  public static JsonNode of(ObjectMapper json, PromiseStatus status) {
    if (status instanceof PromiseStatus.Found found) {
      return found(json, found);
    }
    PromiseStatus.NotFound notFound = (PromiseStatus.NotFound) status;
    return notFound(
        json,
        notFound.why(),
        notFound.voidedSequence().isPresent() ? notFound.voidedSequence().getAsLong() : null);
  }

  private static JsonNode found(ObjectMapper json, PromiseStatus.Found found) {
    ObjectNode node = json.valueToTree(WireCodec.toWire(found.promise().preconfirmation()));
    node.put("status", found.status().name());
    Finality f = found.promise().finality();
    if (f != null) {
      ObjectNode finality = node.putObject("finality");
      finality.put("blockNumber", f.blockNumber());
      finality.put("blockHash", f.blockHash().toHex());
      finality.put("index", f.index());
    }
    if (!found.violations().isEmpty()) {
      node.set("violations", FinalityJson.violations(found.violations()));
    }
    return node;
  }

  private static JsonNode notFound(ObjectMapper json, Rejection why, Long voidedSequence) {
    ObjectNode node = json.createObjectNode();
    node.put("found", false);
    if (voidedSequence != null) {
      node.put("voidedSequence", voidedSequence);
    }
    node.set("error", json.valueToTree(ErrorBody.of(why)));
    return node;
  }
}
