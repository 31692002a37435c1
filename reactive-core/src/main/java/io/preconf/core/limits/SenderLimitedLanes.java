package io.preconf.core.limits;

import io.preconf.core.error.Rejection;
import io.preconf.core.port.ClaimGroup;
import io.preconf.core.port.ForwardingLanes;
import io.preconf.core.port.LaneClaim;
import io.preconf.core.port.LaneOutcome;
import io.preconf.core.port.LaneSequencer;
import io.preconf.core.port.RateLimit;
import io.preconf.core.port.RateLimiter;
import io.preconf.core.types.Address;
import io.preconf.core.types.ChainId;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A lane sequencer that first holds each sender, on each rollup, to a {@link RateLimit}: every leg
 * counts one use of its sender, all senders of a round in one call to the counts, and the legs of a
 * sender over the limit are refused RATE_LIMITED before anything is claimed, so that a refusal
 * takes no lane position. The other legs are claimed as the wrapped sequencer claims them; an
 * atomic request with a leg refused here claims nothing, its other legs {@link
 * LaneOutcome.Skipped}, as {@link LaneSequencer#claim} promises.
 */
public final class SenderLimitedLanes extends ForwardingLanes {
  private final RateLimiter limiter;
  private final RateLimit limit;

  private record Sender(ChainId chain, Address address) {}

  public SenderLimitedLanes(LaneSequencer lanes, RateLimiter limiter, RateLimit limit) {
    super(lanes);
    this.limiter = Objects.requireNonNull(limiter, "limiter");
    this.limit = Objects.requireNonNull(limit, "limit");
  }

  /**
   * Counts every leg of every group against its sender first; a refused sender's legs are refused
   * RATE_LIMITED, an atomic group with such a leg claims nothing (its other legs are skipped), and
   * the rest are claimed in one call, as they came.
   */
  @Override
  public Uni<List<List<LaneOutcome>>> claimAll(List<ClaimGroup> groups) {
    Map<Sender, Integer> uses = new LinkedHashMap<>();
    for (ClaimGroup g : groups) {
      for (LaneClaim c : g.claims()) {
        uses.merge(new Sender(c.chainId(), c.sender()), 1, Integer::sum);
      }
    }
    if (uses.isEmpty()) {
      return super.claimAll(groups);
    }
    List<Sender> senders = List.copyOf(uses.keySet());
    List<RateLimiter.Use> counted =
        senders.stream()
            .map(
                s -> new RateLimiter.Use(limit, s.chain() + ":" + s.address().toHex(), uses.get(s)))
            .toList();
    return limiter
        .take(counted)
        .onItem()
        .transform(waits -> refused(senders, waits))
        .onItem()
        .transformToUni(refused -> claimAdmitted(groups, refused));
  }

  private Map<Sender, Rejection> refused(List<Sender> senders, List<Duration> waits) {
    Map<Sender, Rejection> refused = new HashMap<>();
    for (int i = 0; i < senders.size(); i++) {
      Duration wait = waits.get(i);
      if (!wait.isZero()) {
        Sender s = senders.get(i);
        refused.put(s, limit.refusal("sender " + s.address() + " on chain " + s.chain(), wait));
      }
    }
    return refused;
  }

  private Uni<List<List<LaneOutcome>>> claimAdmitted(
      List<ClaimGroup> groups, Map<Sender, Rejection> refused) {
    if (refused.isEmpty()) {
      return super.claimAll(groups);
    }
    List<List<LaneOutcome>> outcomes = new ArrayList<>(groups.size());
    List<ClaimGroup> admitted = new ArrayList<>();
    for (ClaimGroup g : groups) {
      List<LaneOutcome> out = new ArrayList<>(g.claims().size());
      List<LaneClaim> kept = new ArrayList<>();
      for (LaneClaim c : g.claims()) {
        Rejection why = refused.get(new Sender(c.chainId(), c.sender()));
        if (why != null) {
          out.add(new LaneOutcome.Refused(why));
        } else {
          out.add(null);
          kept.add(c);
        }
      }
      if (kept.size() < g.claims().size() && g.atomic()) {
        out.replaceAll(o -> o == null ? new LaneOutcome.Skipped() : o);
      } else if (!kept.isEmpty()) {
        admitted.add(new ClaimGroup(kept, g.atomic()));
      }
      outcomes.add(out);
    }
    if (admitted.isEmpty()) {
      return Uni.createFrom().item(outcomes);
    }
    return super.claimAll(admitted)
        .onItem()
        .transform(
            claimed -> {
              int group = 0;
              for (List<LaneOutcome> out : outcomes) {
                if (!out.contains(null)) {
                  continue;
                }
                List<LaneOutcome> mine = claimed.get(group++);
                int next = 0;
                for (int i = 0; i < out.size(); i++) {
                  if (out.get(i) == null) {
                    out.set(i, mine.get(next++));
                  }
                }
              }
              return outcomes;
            });
  }
}
