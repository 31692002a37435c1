package io.preconf.core.port;

import java.util.List;

/**
 * The legs of one request, claimed together in a {@link LaneSequencer#claimAll} call that carries
 * several requests.
 *
 * @param atomic all or nothing: when any leg is refused, no lane changes for this group
 */
public record ClaimGroup(List<LaneClaim> claims, boolean atomic) {
  public ClaimGroup {
    claims = List.copyOf(claims);
  }
}
