package io.preconf.core.wire;

import java.util.List;

/**
 * One rollup block as the {@code reconcile} function takes it: the fields of an {@code
 * eth_getBlockByNumber} answer that finality needs, with numbers as JSON numbers. Exactly one of
 * {@code slot} and {@code timestamp} (unix seconds, as a block header carries it) is given.
 *
 * @param transactions the block's transaction hashes, in block order
 */
public record WireBlock(
    Long chainId,
    Long number,
    String hash,
    String parentHash,
    Long slot,
    Long timestamp,
    List<String> transactions) {}
