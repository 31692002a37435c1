package io.preconf.feed.hub;

import io.preconf.core.feed.LaneEntry;
import io.preconf.core.types.Address;
import io.preconf.core.types.ChainId;
import io.preconf.feed.request.CloseReasons;
import io.preconf.feed.request.Subscription;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ObjIntConsumer;

/**
 * One connection: what it asked for, how far along each lane it is, and its outgoing buffer.
 *
 * <p>The buffer is the number of frames handed to the socket and not yet written to it. Frames are
 * never queued behind a full buffer: a subscriber that lets more than {@code bufferSize} pile up is
 * closed with {@link #TOO_SLOW}, so a stalled reader costs bounded memory and delays no one else.
 *
 * <p>Per lane it keeps a position: the last sequence it has been given or stepped over (filtered
 * out, void). A lane hands it sequence {@code n} only when its position is below {@code n}, which
 * is what makes the switch from replay to live free of gaps and duplicates.
 */
public final class Subscriber {
  /** Close code for a subscriber that cannot keep up (private range, RFC 6455 section 7.4.2). */
  public static final int TOO_SLOW = 4008;

  /** Close code when the feed cannot read its backends for a replay. */
  public static final int INTERNAL_ERROR = 1011;

  /** Close code when this node stops. */
  public static final int GOING_AWAY = 1001;

  private final Outlet outlet;
  private final Subscription subscription;
  private final int bufferSize;
  private final ObjIntConsumer<Subscriber> onCut;

  /** Follows every sender: asked once here, not per frame and subscriber. */
  private final boolean everySender;

  private final Map<ChainId, Cursor> cursors = new LinkedHashMap<>();
  private final AtomicInteger unsent = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicReference<Runnable> whenDrained = new AtomicReference<>();
  private volatile Object ticket;

  /**
   * This subscriber's place on one lane, written by one party at a time: the replay, then (after
   * the switch) the lane. A lane keeps the cursors of its live subscribers, so that handing an
   * entry to a thousand of them looks nothing up per subscriber.
   */
  final class Cursor {
    private volatile long position;

    Subscriber subscriber() {
      return Subscriber.this;
    }

    /**
     * Gives the subscriber one lane entry, unless it has it already. {@code message} is the frame
     * of an issued entry (built once for all subscribers), null for a void one.
     */
    void deliver(LaneEntry entry, Frame message) {
      if (entry.sequence() <= position || closed.get()) {
        return;
      }
      if (entry instanceof LaneEntry.Issued issued
          && wants(issued.preconfirmation().leaf().sender())
          && !offer(message)) {
        return; // cut: the position stays at the last frame handed over
      }
      position = entry.sequence();
    }

    /** Steps over sequences up to {@code through} that hold nothing for anyone (gaps, voids). */
    void coverThrough(long through) {
      if (through > position && !closed.get()) {
        position = through;
      }
    }
  }

  /**
   * @param onCut told, with the close code, when the feed closes this subscriber itself
   */
  public Subscriber(
      Outlet outlet, Subscription subscription, int bufferSize, ObjIntConsumer<Subscriber> onCut) {
    this.outlet = outlet;
    this.subscription = subscription;
    this.bufferSize = bufferSize;
    this.onCut = onCut;
    this.everySender = subscription.senders().isEmpty();
    for (ChainId chain : subscription.chains()) {
      cursors.put(chain, new Cursor());
    }
  }

  Executor loop() {
    return outlet.loop();
  }

  public Subscription subscription() {
    return subscription;
  }

  public boolean isClosed() {
    return closed.get();
  }

  /** Frames handed to the socket and not yet written. */
  public int unsent() {
    return unsent.get();
  }

  Object ticket() {
    return ticket;
  }

  void ticket(Object ticket) {
    this.ticket = ticket;
  }

  public long position(ChainId chain) {
    return cursors.get(chain).position;
  }

  void startAt(ChainId chain, long position) {
    cursors.get(chain).position = position;
  }

  /** This subscriber's place on {@code chain}, one of the lanes it follows. */
  Cursor cursor(ChainId chain) {
    return cursors.get(chain);
  }

  boolean wants(Address sender) {
    return everySender || subscription.wants(sender);
  }

  /** Hands one frame to the socket; false when the subscriber is closed, or now cut as too slow. */
  boolean offer(Frame frame) {
    if (closed.get()) {
      return false;
    }
    int waiting = unsent.incrementAndGet();
    if (waiting > bufferSize) {
      unsent.decrementAndGet();
      cut(TOO_SLOW, tooSlowReason(waiting - 1));
      return false;
    }
    try {
      outlet.send(frame, this::written);
    } catch (RuntimeException e) {
      written(); // the connection is going away; its close event follows
    }
    return true;
  }

  private void written() {
    int waiting = unsent.decrementAndGet();
    if (waiting <= bufferSize / 2) {
      Runnable r = whenDrained.getAndSet(null);
      if (r != null) {
        r.run();
      }
    }
  }

  /**
   * Runs {@code next} once at most half the buffer is waiting: a replay sends as fast as the client
   * reads, never faster, so replaying a long history does not count as being slow.
   *
   * @return whether {@code next} was left for a later write's completion to run
   */
  boolean whenDrained(Runnable next) {
    if (unsent.get() <= bufferSize / 2) {
      next.run();
      return false;
    }
    whenDrained.set(next);
    // The last write may have completed between the check and the set.
    if (unsent.get() <= bufferSize / 2) {
      Runnable r = whenDrained.getAndSet(null);
      if (r != null) {
        r.run();
        return false;
      }
    }
    return true;
  }

  /** Closes the connection from the feed's side, once; later frames are dropped. */
  void cut(int code, String reason) {
    if (closed.compareAndSet(false, true)) {
      whenDrained.set(null);
      outlet.close(code, CloseReasons.fit(reason)).subscribe().with(ignored -> {}, failure -> {});
      onCut.accept(this, code);
    }
  }

  /** Sends a last frame (an error), then closes. */
  void refuse(Frame frame, int code, String reason) {
    if (closed.compareAndSet(false, true)) {
      sendThenClose(outlet, frame, code, CloseReasons.fit(reason));
      onCut.accept(this, code);
    }
  }

  /**
   * Writes a last frame (an error), then closes with {@code code}, whether the write worked or not.
   */
  static void sendThenClose(Outlet outlet, Frame frame, int code, String reason) {
    Runnable close =
        () -> outlet.close(code, reason).subscribe().with(ignored -> {}, failure -> {});
    try {
      outlet.send(frame, close);
    } catch (RuntimeException e) {
      close.run();
    }
  }

  /** The peer closed, or the server did: nothing more is sent. */
  void markClosed() {
    closed.set(true);
    whenDrained.set(null);
  }

  String tooSlowReason(int waiting) {
    return "subscriber too slow: " + waiting + " messages unsent; " + resumeHint();
  }

  /** How to carry on without losing anything: from= per lane, the sequence after the last given. */
  String resumeHint() {
    if (cursors.size() == 1) {
      Map.Entry<ChainId, Cursor> only = cursors.entrySet().iterator().next();
      return "reconnect with from=" + (only.getValue().position + 1);
    }
    StringBuilder b = new StringBuilder("reconnect per chain:");
    String sep = " ";
    for (Map.Entry<ChainId, Cursor> e : cursors.entrySet()) {
      b.append(sep).append(e.getKey()).append(" from=").append(e.getValue().position + 1);
      sep = ", ";
    }
    return b.toString();
  }
}
