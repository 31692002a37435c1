package io.preconf.core.rollup;

import static io.preconf.core.error.ErrorCode.VALIDATION_FAILED;

import io.preconf.core.error.ErrorCode;
import io.preconf.core.error.Reason;
import io.preconf.core.error.Rejection;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.MalformedValueException;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The rollups this engine serves, by chain id. */
public final class Rollups {
  private final Map<ChainId, RollupConfig> byChain;

  private Rollups(Map<ChainId, RollupConfig> byChain) {
    this.byChain = byChain;
  }

  public static Rollups of(Collection<RollupConfig> rollups) {
    if (rollups.isEmpty()) {
      throw new MalformedValueException(Reason.MISSING_FIELD, "at least one rollup must be served");
    }
    Map<ChainId, RollupConfig> map = new LinkedHashMap<>();
    for (RollupConfig r : rollups) {
      if (map.putIfAbsent(r.chainId(), r) != null) {
        throw new MalformedValueException(
            Reason.DUPLICATE_IN_REQUEST, "rollup chain id " + r.chainId() + " is configured twice");
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
      return Optional.of(Rejection.of(VALIDATION_FAILED, e.reason(), e.getMessage()));
    }
    if (find(chainId).isEmpty()) {
      return Optional.of(unsupportedChain(VALIDATION_FAILED, id));
    }
    return Optional.empty();
  }

  /** The served chain ids, in configuration order. */
  public Set<ChainId> chainIds() {
    return byChain.keySet();
  }

  /** {@code chainId}, which is not served, refused in the one wording every entry point gives. */
  public Rejection unsupportedChain(ErrorCode code, long chainId) {
    return unsupportedChain(code, chainId, chainIds());
  }

  /**
   * A chain this engine does not serve, in the one wording every entry point gives it.
   *
   * @param served the chain ids that are served, listed so that the caller can pick one
   */
  public static Rejection unsupportedChain(
      ErrorCode code, long chainId, Collection<ChainId> served) {
    return Rejection.of(
        code,
        Reason.UNSUPPORTED_CHAIN,
        "chain id " + chainId + " is not served by this engine; served chain ids: " + served);
  }
}
