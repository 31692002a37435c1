package io.preconf.infra.redis;

import io.preconf.core.port.LanePosition;
import io.preconf.core.types.Address;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.smallrye.mutiny.Uni;
import java.math.BigInteger;
import java.util.List;

/**
 * What the durable store knows about a lane, for restoring it into Redis when Redis has no head for
 * it: the first use of a lane, or after Redis lost its data.
 */
public interface LaneHistory {

  /**
   * The lane's highest used sequence (recorded or void) and the claims of the preconfirmations
   * recorded on it with a receivedAt at or after {@code claimedSince} (unix ms): older claims would
   * have lapsed from Redis by now, and the durable store itself still refuses their duplicates.
   * Those still PRECONFIRMED and in force carry what they reserve of their sender's balance.
   */
  Uni<LaneSnapshot> snapshot(ChainId chain, long claimedSince);

  /** Keeps void positions, so that a lane restored later does not hand their sequences out. */
  Uni<Void> recordVoid(List<LanePosition> positions);

  /**
   * Voids, durably and for good, those of {@code positions} that have no record, and returns them
   * (one void already is returned too). A record of one of them either committed first, and the
   * position is not returned, or is refused from then on: only a position returned here may have
   * its claims released in the lanes.
   */
  Uni<List<LanePosition>> voidUnrecorded(List<LanePosition> positions);

  /**
   * @param sequence the highest used sequence, 0 for an unused lane
   * @param txHash the tx at that sequence, {@link Hash32#ZERO} for an unused lane
   * @param receivedAt its receivedAt, 0 for an unused lane
   */
  record LaneSnapshot(
      ChainId chain, long sequence, Hash32 txHash, long receivedAt, List<HeldClaim> claims) {
    public static LaneSnapshot empty(ChainId chain) {
      return new LaneSnapshot(chain, 0, Hash32.ZERO, 0, List.of());
    }
  }

  /**
   * A recorded preconfirmation's claim on its tx and its (sender, nonce), and what it reserves of
   * its sender's balance while not yet included.
   *
   * @param reservedWei {@code value + gasLimit * maxFeePerGas} of its signed transaction while the
   *     promise is PRECONFIRMED and in force, as the lane claim reserved it; null when it reserves
   *     nothing any more (included, expired, broken) or its signed transaction was not kept
   * @param reservedUntil when its commitment expires (unix ms): the reservation lapses then
   */
  record HeldClaim(
      Hash32 txHash,
      Address sender,
      long nonce,
      long sequence,
      long targetSlot,
      long receivedAt,
      BigInteger reservedWei,
      long reservedUntil) {}
}
