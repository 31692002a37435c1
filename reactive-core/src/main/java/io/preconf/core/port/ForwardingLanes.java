package io.preconf.core.port;

import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Lanes that pass every call on to the lanes they wrap: a decorator (a limit, a test holding one
 * call back) overrides only the calls it changes.
 */
public class ForwardingLanes implements LaneSequencer {
  private final LaneSequencer lanes;

  public ForwardingLanes(LaneSequencer lanes) {
    this.lanes = Objects.requireNonNull(lanes, "lanes");
  }

  @Override
  public Uni<List<List<LaneOutcome>>> claimAll(List<ClaimGroup> groups) {
    return lanes.claimAll(groups);
  }

  @Override
  public Uni<Void> abandon(List<LanePosition> positions) {
    return lanes.abandon(positions);
  }

  @Override
  public Uni<Optional<LanePosition>> releaseStale(
      ChainId chainId, Hash32 txHash, Duration olderThan) {
    return lanes.releaseStale(chainId, txHash, olderThan);
  }

  @Override
  public Uni<List<LanePosition>> sweep(ChainId chainId, Duration olderThan) {
    return lanes.sweep(chainId, olderThan);
  }
}
