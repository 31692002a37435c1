package io.preconf.core.engine;

import java.util.List;

/**
 * One preconfirm call.
 *
 * @param transactions signed EIP-2718 transactions as {@code 0x} hex
 * @param atomic all or nothing: every transaction is promised under one root, or none is
 * @param targetSlot the slot by which inclusion is promised on each leg's rollup, or null for the
 *     next slot
 */
public record PreconfirmRequest(List<String> transactions, boolean atomic, Long targetSlot) {}
