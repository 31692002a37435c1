package io.preconf.core.pull;

import java.util.OptionalLong;

/**
 * One {@code lane} call, as sent.
 *
 * @param from the first sequence wanted (the cursor: the previous answer's {@code next})
 * @param targetSlot only the promises for this slot, when present
 * @param limit the most entries wanted
 * @param authorised whether the caller may see the signed bytes of transactions not yet included
 */
public record LaneRequest(
    long chainId, long from, OptionalLong targetSlot, int limit, boolean authorised) {}
