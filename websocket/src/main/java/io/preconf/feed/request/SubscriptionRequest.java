package io.preconf.feed.request;

import static io.preconf.core.error.ErrorCode.VALIDATION_FAILED;

import io.preconf.core.error.Reason;
import io.preconf.core.error.Result;
import io.preconf.core.rollup.Rollups;
import io.preconf.core.types.Address;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.MalformedValueException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Reads {@code /feed?chainId=..&sender=..&from=..} (spec section 7) into a {@link Subscription}.
 * Guard clauses, each returning a VALIDATION_FAILED rejection whose message names the bad value.
 */
public final class SubscriptionRequest {
  private SubscriptionRequest() {}

  public static Result<Subscription> parse(QueryParams query, Collection<ChainId> served) {
    List<ChainId> chains = new ArrayList<>();
    for (String raw : query.all("chainId")) {
      Long value = wholeNumber(raw);
      if (value == null) {
        return Result.err(
            VALIDATION_FAILED,
            Reason.MALFORMED_REQUEST,
            "chainId \"" + shorten(raw) + "\" is not a whole number");
      }
      ChainId chain;
      try {
        chain = ChainId.of(value);
      } catch (MalformedValueException e) {
        return Result.err(VALIDATION_FAILED, Reason.OUT_OF_RANGE, e.getMessage());
      }
      if (!served.contains(chain)) {
        return Result.err(Rollups.unsupportedChain(VALIDATION_FAILED, chain.value(), served));
      }
      if (!chains.contains(chain)) {
        chains.add(chain);
      }
    }

    Set<Address> senders = new LinkedHashSet<>();
    for (String raw : query.all("sender")) {
      try {
        senders.add(Address.fromHex("sender", raw));
      } catch (MalformedValueException e) {
        return Result.err(VALIDATION_FAILED, Reason.MALFORMED_HEX, e.getMessage());
      }
    }

    OptionalLong from = OptionalLong.empty();
    List<String> fromValues = query.all("from");
    if (!fromValues.isEmpty()) {
      if (fromValues.size() > 1) {
        return Result.err(
            VALIDATION_FAILED,
            Reason.MALFORMED_REQUEST,
            "from must be given once, got " + fromValues.size() + " values: " + fromValues);
      }
      String raw = fromValues.get(0);
      Long value = wholeNumber(raw);
      if (value == null) {
        return Result.err(
            VALIDATION_FAILED,
            Reason.MALFORMED_REQUEST,
            "from \"" + shorten(raw) + "\" is not a whole number");
      }
      if (value < 1) {
        return Result.err(
            VALIDATION_FAILED,
            Reason.OUT_OF_RANGE,
            "from must be a lane sequence, 1 or more, got " + value);
      }
      if (chains.size() != 1) {
        return Result.err(
            VALIDATION_FAILED,
            Reason.MALFORMED_REQUEST,
            "from="
                + value
                + " replays one lane, so it needs exactly one chainId, got "
                + (chains.isEmpty() ? "none" : chains.size() + " " + chains));
      }
      from = OptionalLong.of(value);
    }

    return Result.ok(
        new Subscription(chains.isEmpty() ? List.copyOf(served) : chains, senders, from));
  }

  /** The value as a long when it is a plain decimal whole number, else null. */
  private static Long wholeNumber(String raw) {
    if (raw.isEmpty() || raw.length() > 19) {
      return null;
    }
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c < '0' || c > '9') {
        if (!(i == 0 && c == '-' && raw.length() > 1)) {
          return null;
        }
      }
    }
    try {
      return Long.parseLong(raw);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String shorten(String raw) {
    return raw.length() <= 40 ? raw : raw.substring(0, 37) + "...";
  }
}
