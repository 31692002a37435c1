package io.preconf.infra.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.preconf.core.rollup.RollupConfig;
import io.preconf.core.rollup.Rollups;
import io.preconf.core.types.ChainId;
import io.smallrye.config.ConfigMapping;
import java.math.BigInteger;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The served rollups as configured, read in this one place by every process: the functions serve
 * and follow them, the feed serves their lanes. They come either as one JSON list in {@code
 * preconf.rollups-json} ({@code PRECONF_ROLLUPS_JSON}, as the deployment sets it), with the fields
 * {@code info} shows, or as indexed properties {@code preconf.rollups[i].chain-id} and so on, the
 * same fields in kebab case. A field left out takes {@link RollupConfig#builder}'s default.
 *
 * @param rpcUrls the JSON-RPC URL of each rollup node a process may follow ({@code rpcUrl}, {@code
 *     rpc-url}), for the rollups that have one
 * @param stateChecked the rollups whose senders the engine checks on their node before it promises
 *     (nonce, balance, base fee): those with a node, unless {@code stateChecks} ({@code
 *     state-checks}) is false
 */
public record RollupSettings(
    Rollups rollups, Map<ChainId, URI> rpcUrls, Set<ChainId> stateChecked) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public RollupSettings {
    rpcUrls = Collections.unmodifiableMap(new LinkedHashMap<>(rpcUrls));
    stateChecked = Set.copyOf(stateChecked);
  }

  /**
   * The properties as SmallRye maps them: each indexed rollup's settings by kebab-case name. A
   * process injects it (so that its configuration is checked for typos under {@code preconf}) and
   * reads it with {@link #read}.
   */
  @ConfigMapping(prefix = "preconf")
  public interface Properties {
    List<Map<String, String>> rollups();

    /** The rollups as one JSON list, replacing {@link #rollups()} when set. */
    Optional<String> rollupsJson();
  }

  /** The rollups configured; fails naming the setting when one is missing or wrong. */
  public static RollupSettings read(Properties properties) {
    List<Fields> listed =
        properties.rollupsJson().filter(json -> !json.isBlank()).isPresent()
            ? fromJson(properties.rollupsJson().get())
            : indexed(properties.rollups());
    if (listed.isEmpty()) {
      throw new IllegalStateException(
          "no rollup is configured: set preconf.rollups[i].chain-id, name and genesis-time-ms,"
              + " or the list as JSON in preconf.rollups-json (PRECONF_ROLLUPS_JSON)");
    }
    List<RollupConfig> rollups = new ArrayList<>();
    Map<ChainId, URI> rpcUrls = new LinkedHashMap<>();
    Set<ChainId> stateChecked = new LinkedHashSet<>();
    for (Fields f : listed) {
      RollupConfig rollup = rollup(f);
      rollups.add(rollup);
      Optional<URI> node = f.optional("rpcUrl", URI::create);
      node.ifPresent(url -> rpcUrls.put(rollup.chainId(), url));
      if (f.optional("stateChecks", RollupSettings::bool).orElse(node.isPresent())) {
        if (node.isEmpty()) {
          throw new IllegalStateException(
              f.name("stateChecks")
                  + " is true but the rollup has no node to check senders on: set "
                  + f.name("rpcUrl"));
        }
        stateChecked.add(rollup.chainId());
      }
      f.refuseOthers();
    }
    return new RollupSettings(Rollups.of(rollups), rpcUrls, stateChecked);
  }

  /** One line per setting: its name, how it is read, and whether the default may stand in. */
  private static RollupConfig rollup(Fields f) {
    RollupConfig.Builder b =
        RollupConfig.builder(
            f.required("chainId", text -> ChainId.of(Long.parseLong(text))),
            f.required("name", Function.identity()),
            f.required("genesisTimeMs", Long::parseLong));
    f.optional("slotDurationMs", Long::parseLong).ifPresent(b::slotDurationMs);
    f.optional("gasLimit", Long::parseLong).ifPresent(b::gasLimit);
    f.optional("minPriorityFeeWei", BigInteger::new).ifPresent(b::minPriorityFeeWei);
    f.optional("maxPreconfirmationsPerSlot", Integer::parseInt)
        .ifPresent(b::maxPreconfirmationsPerSlot);
    f.optional("maxGasPerSlot", Long::parseLong).ifPresent(b::maxGasPerSlot);
    f.optional("lookaheadSlots", Integer::parseInt).ifPresent(b::lookaheadSlots);
    f.optional("prague", RollupSettings::bool).ifPresent(b::prague);
    f.optional("deliveryLeadMs", Long::parseLong).ifPresent(b::deliveryLeadMs);
    return b.build();
  }

  private static boolean bool(String text) {
    return switch (text.toLowerCase()) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("must be true or false");
    };
  }

  /** Indexed properties are checked for typos, as every other setting is. */
  private static List<Fields> indexed(List<Map<String, String>> rollups) {
    List<Fields> out = new ArrayList<>();
    for (int i = 0; i < rollups.size(); i++) {
      // A setting from an environment variable comes keyed "genesis.time.ms": SmallRye cannot
      // tell its dashes from dots.
      Map<String, String> settings = new HashMap<>();
      rollups.get(i).forEach((key, value) -> settings.put(key.replace('.', '-'), value));
      out.add(
          new Fields(
              "preconf.rollups[" + i + "].",
              RollupSettings::kebab,
              name -> Optional.ofNullable(settings.get(name)),
              settings.keySet()));
    }
    return out;
  }

  /** A JSON rollup may carry more (a copy of {@code info}'s, say): other fields are ignored. */
  private static List<Fields> fromJson(String text) {
    JsonNode list;
    try {
      list = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "preconf.rollups-json is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (list == null || !list.isArray()) {
      throw new IllegalStateException(
          "preconf.rollups-json must be a JSON list of rollups, got " + text);
    }
    List<Fields> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode rollup = list.get(i);
      String at = "preconf.rollups-json[" + i + "].";
      if (!rollup.isObject()) {
        throw new IllegalStateException(at + " must be a JSON object, got " + rollup);
      }
      out.add(
          new Fields(
              at, Function.identity(), name -> value(at + name, rollup.get(name)), Set.of()));
    }
    return out;
  }

  private static Optional<String> value(String where, JsonNode v) {
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isValueNode()) {
      throw new IllegalStateException(where + " must be a number or a string, got " + v);
    }
    return Optional.of(v.asText());
  }

  /** "genesisTimeMs" -> "genesis-time-ms". */
  private static String kebab(String field) {
    return field.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
  }

  /** One rollup's settings, read by field name (as in JSON), named as set in messages. */
  private static final class Fields {
    private final String at;
    private final Function<String, String> naming;
    private final Function<String, Optional<String>> lookup;
    private final Set<String> given;
    private final Set<String> read = new TreeSet<>();

    /**
     * @param at where the rollup is set, the prefix of its settings' names
     * @param naming a field's name as set
     * @param given the names set, each of which must be read; empty when others may be set
     */
    Fields(
        String at,
        Function<String, String> naming,
        Function<String, Optional<String>> lookup,
        Set<String> given) {
      this.at = at;
      this.naming = naming;
      this.lookup = lookup;
      this.given = given;
    }

    /** The field's name as set, for messages. */
    String name(String field) {
      return at + naming.apply(field);
    }

    <T> T required(String field, Function<String, T> parse) {
      return optional(field, parse)
          .orElseThrow(() -> new IllegalStateException(at + naming.apply(field) + " is missing"));
    }

    <T> Optional<T> optional(String field, Function<String, T> parse) {
      String name = naming.apply(field);
      read.add(name);
      Optional<String> text = lookup.apply(name).map(String::strip).filter(s -> !s.isEmpty());
      try {
        return text.map(parse);
      } catch (RuntimeException e) {
        throw new IllegalStateException(
            at + name + " is not valid: \"" + text.get() + "\" (" + e.getMessage() + ")", e);
      }
    }

    /** Refuses a setting no field was read from, naming it and the settings there are. */
    void refuseOthers() {
      for (String name : new TreeSet<>(given)) {
        if (!read.contains(name)) {
          throw new IllegalStateException(
              at + name + " is not a rollup setting; the settings are " + read);
        }
      }
    }
  }
}
