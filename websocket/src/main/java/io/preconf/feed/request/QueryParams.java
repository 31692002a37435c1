package io.preconf.feed.request;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A query string's parameters, each with every value it was given: {@code chainId=1&chainId=2} and
 * {@code chainId=1,2} both give two values of {@code chainId}.
 */
public final class QueryParams {
  private final Map<String, List<String>> values;

  private QueryParams(Map<String, List<String>> values) {
    this.values = values;
  }

  /** Parses a raw query (without the {@code ?}); null or empty gives no parameters. */
  public static QueryParams parse(String raw) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return new QueryParams(out);
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      List<String> list = out.computeIfAbsent(name, n -> new ArrayList<>());
      for (String v : value.split(",", -1)) {
        list.add(v.trim());
      }
    }
    return new QueryParams(out);
  }

  /** Every value of {@code name}, split at commas and trimmed; empty when absent. */
  public List<String> all(String name) {
    return values.getOrDefault(name, List.of());
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s; // a stray '%': keep it as written, validation names it
    }
  }
}
