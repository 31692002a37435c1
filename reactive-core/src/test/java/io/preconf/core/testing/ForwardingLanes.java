package io.preconf.core.testing;

import io.preconf.core.port.ClaimGroup;
import io.preconf.core.port.LaneOutcome;
import io.preconf.core.port.LanePosition;
import io.preconf.core.port.LaneSequencer;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Lanes that pass every call on: a test overrides the one call it holds back or fails. */
public class ForwardingLanes implements LaneSequencer {
  private final LaneSequencer lanes;

  public ForwardingLanes(LaneSequencer lanes) {
    this.lanes = lanes;
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
