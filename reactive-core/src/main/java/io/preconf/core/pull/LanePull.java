package io.preconf.core.pull;

import static io.preconf.core.error.ErrorCode.VALIDATION_FAILED;

import io.preconf.core.commit.Status;
import io.preconf.core.error.Reason;
import io.preconf.core.error.RejectedException;
import io.preconf.core.error.Rejection;
import io.preconf.core.error.Result;
import io.preconf.core.rollup.Rollups;
import io.preconf.core.types.ChainId;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Objects;

/**
 * The pull API for block builders ({@code lane}): a lane's entries from a sequence, or a slot's
 * promises, a page at a time. The signed bytes of a transaction not yet included go only to
 * authorised callers: before inclusion they are what a front-runner wants; once included they are
 * on the chain for anyone.
 */
public final class LanePull {
  /** The most entries one call returns. */
  public static final int MAX_LIMIT = 1_000;

  private final Rollups rollups;
  private final LaneEntries entries;

  public LanePull(Rollups rollups, LaneEntries entries) {
    this.rollups = Objects.requireNonNull(rollups, "rollups");
    this.entries = Objects.requireNonNull(entries, "entries");
  }

  public Uni<Result<LanePage>> pull(LaneRequest request) {
    Rejection bad = check(request);
    if (bad != null) {
      return Uni.createFrom().item(Result.err(bad));
    }
    ChainId chain = ChainId.of(request.chainId());
    return entries
        .read(chain, request.from(), request.targetSlot(), request.limit())
        .onItem()
        .transform(found -> Result.ok(page(chain, request, found)))
        .onFailure(RejectedException.class)
        .recoverWithItem(f -> Result.err(((RejectedException) f).rejection()));
  }

  private Rejection check(LaneRequest r) {
    Rejection unserved = rollups.refusal(r.chainId()).orElse(null);
    if (unserved != null) {
      return unserved;
    }
    if (r.from() < 1) {
      return outOfRange("from " + r.from() + " is not a lane sequence; sequences start at 1");
    }
    if (r.limit() < 1 || r.limit() > MAX_LIMIT) {
      return outOfRange("limit " + r.limit() + " is outside 1 to " + MAX_LIMIT);
    }
    if (r.targetSlot().isPresent() && r.targetSlot().getAsLong() < 0) {
      return outOfRange("targetSlot " + r.targetSlot().getAsLong() + " is negative");
    }
    return null;
  }

  private static Rejection outOfRange(String message) {
    return Rejection.of(VALIDATION_FAILED, Reason.OUT_OF_RANGE, message);
  }

  private static LanePage page(ChainId chain, LaneRequest r, List<PulledEntry> found) {
    List<PulledEntry> shown =
        r.authorised() ? found : found.stream().map(LanePull::forAnyone).toList();
    long next = found.isEmpty() ? r.from() : found.get(found.size() - 1).sequence() + 1;
    return new LanePage(chain, shown, next);
  }

  private static PulledEntry forAnyone(PulledEntry e) {
    boolean onChain = e.status() == Status.INCLUDED || e.status() == Status.FINALIZED;
    return onChain ? e : e.withoutBytes();
  }
}
