package io.preconf.core.engine;

import io.smallrye.mutiny.subscription.UniEmitter;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A request waiting for a round: its legs, and where its part of the round's outcome goes.
 *
 * @param ticket its place among the waiting requests, given back when a round takes it
 * @param left set when the request ended before a round took it (its deadline passed): a round then
 *     leaves it out, taking no position for it
 * @param joined when it joined the queue ({@link System#nanoTime})
 */
record Entrant(
    boolean atomic,
    LaneSettlement.Claims claims,
    Admission.Ticket ticket,
    UniEmitter<? super Round.Answer> answer,
    AtomicBoolean left,
    long joined) {

  int legs() {
    return claims.legs().size();
  }
}
