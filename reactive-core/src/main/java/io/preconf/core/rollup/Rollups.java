package io.preconf.core.rollup;

import static io.preconf.core.error.ErrorCode.VALIDATION_FAILED;

import io.preconf.core.error.Reason;
import io.preconf.core.error.Rejection;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.MalformedValueException;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The rollups this engine serves, by chain id. */
public final class Rollups {
  private final Map<ChainId, RollupConfig> byChain;

  private Rollups(Map<ChainId, RollupConfig> byChain) {
    this.byChain = byChain;
  }

  public static Rollups of(Collection<RollupConfig> rollups) {
    if (rollups.isEmpty()) {
      throw new MalformedValueException("at least one rollup must be served");
    }
    Map<ChainId, RollupConfig> map = new LinkedHashMap<>();
    for (RollupConfig r : rollups) {
      if (map.putIfAbsent(r.chainId(), r) != null) {
        throw new MalformedValueException(
            "rollup chain id " + r.chainId() + " is configured twice");
      }
    }
    return new Rollups(Collections.unmodifiableMap(map));
  }

  public Optional<RollupConfig> find(ChainId chainId) {
    return Optional.ofNullable(byChain.get(chainId));
  }

  public Collection<RollupConfig> all() {
    return byChain.values();
  }

  /**
   * Why chain {@code id}, as a request sent it, cannot be asked about (not a chain id, or not
   * served); empty when it is served.
   */
  public Optional<Rejection> refusal(long id) {
    ChainId chainId;
    try {
      chainId = ChainId.of(id);
    } catch (MalformedValueException e) {
      return Optional.of(Rejection.of(VALIDATION_FAILED, Reason.OUT_OF_RANGE, e.getMessage()));
    }
    if (find(chainId).isEmpty()) {
      return Optional.of(
          Rejection.of(
              VALIDATION_FAILED,
              Reason.UNSUPPORTED_CHAIN,
              "chain id "
                  + id
                  + " is not served by this engine; served chain ids: "
                  + chainIdList()));
    }
    return Optional.empty();
  }

  /** The served chain ids, for messages that list what is served. */
  public String chainIdList() {
    return byChain.keySet().toString();
  }
}
