package io.preconf.core.wire;

import java.util.List;

/**
 * One preconfirmation as JSON carries it (spec section 4): field names, lowercase hex strings and
 * JSON numbers exactly as the contract fixes them. Any JSON binder maps it by name; {@link
 * WireCodec} turns it into the domain record and back.
 */
public record WirePreconfirmation(
    String id,
    Long chainId,
    String txHash,
    String sender,
    Long nonce,
    Long sequence,
    String previous,
    Long receivedAt,
    Long targetSlot,
    List<String> proof,
    WireCommitment commitment) {}
