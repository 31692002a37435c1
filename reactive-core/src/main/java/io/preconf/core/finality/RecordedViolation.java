package io.preconf.core.finality;

import io.preconf.core.types.Hash32;

/**
 * A violation as the ledger keeps it.
 *
 * @param evidenceJson the evidence exactly as stored and served (see {@link Evidence}); a checker
 *     verifies these bytes, not a re-rendering
 * @param retracted true once a reorg orphaned the block that showed it
 */
public record RecordedViolation(
    Hash32 preconfirmationId,
    ViolationKind kind,
    Hash32 blockHash,
    String reason,
    String evidenceJson,
    long detectedAt,
    boolean retracted) {}
