package io.preconf.feed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.preconf.core.types.ChainId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * Which chains the feed serves: {@code preconf.feed.chains} when set, else the rollups the
 * functions are configured with, so one configuration serves both. Those come as a JSON list in
 * {@code preconf.rollups-json} (or {@code PRECONF_ROLLUPS}, as the deployment sets it), or as
 * indexed properties {@code preconf.rollups[i].chain-id}.
 */
final class ServedChains {
  private static final int MAX_INDEXED = 1024;

  private ServedChains() {}

  static List<ChainId> from(FeedConfig feed, Config config) {
    if (feed.chains().isPresent() && !feed.chains().get().isEmpty()) {
      return distinct(feed.chains().get().stream().map(ChainId::of).toList());
    }
    for (String name : List.of("preconf.rollups-json", "preconf.rollups")) {
      Optional<String> json = config.getOptionalValue(name, String.class);
      if (json.isPresent() && json.get().trim().startsWith("[")) {
        return distinct(fromJson(name, json.get()));
      }
    }
    List<ChainId> indexed = new ArrayList<>();
    for (int i = 0; i < MAX_INDEXED; i++) {
      Optional<Long> id =
          config.getOptionalValue("preconf.rollups[" + i + "].chain-id", Long.class);
      if (id.isEmpty()) {
        break;
      }
      indexed.add(ChainId.of(id.get()));
    }
    if (indexed.isEmpty()) {
      throw new IllegalStateException(
          "the feed serves no chain: set preconf.feed.chains (PRECONF_FEED_CHAINS), or the"
              + " rollups as preconf.rollups[i].chain-id or PRECONF_ROLLUPS");
    }
    return distinct(indexed);
  }

  private static List<ChainId> fromJson(String name, String text) {
    JsonNode list;
    try {
      list = new ObjectMapper().readTree(text);
    } catch (IOException e) {
      throw new IllegalStateException(name + " is not valid JSON: " + e.getMessage(), e);
    }
    List<ChainId> out = new ArrayList<>();
    for (JsonNode rollup : list) {
      JsonNode id = rollup.get("chainId");
      if (id == null || !id.canConvertToLong()) {
        throw new IllegalStateException(name + ": a rollup lacks a numeric chainId: " + rollup);
      }
      out.add(ChainId.of(id.asLong()));
    }
    return out;
  }

  private static List<ChainId> distinct(List<ChainId> chains) {
    return chains.stream().distinct().toList();
  }
}
