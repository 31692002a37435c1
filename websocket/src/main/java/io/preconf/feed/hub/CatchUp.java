package io.preconf.feed.hub;

import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.feed.LaneEntry;
import io.preconf.core.feed.LaneReader;
import io.preconf.feed.request.Refusal;
import io.preconf.wire.FeedMessages;
import io.vertx.core.Vertx;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Replays a lane to one subscriber from the sequence it asked for, at the pace its socket takes
 * frames, then hands it to the lane's live set. The switch happens under the lane's lock once the
 * subscriber's position has reached the lane's, so the first live entry it gets is the one after
 * its last replayed one.
 */
final class CatchUp {
  private static final Logger LOG = Logger.getLogger(CatchUp.class);

  private final LaneFeed lane;
  private final Subscriber subscriber;
  private final LaneReader reader;
  private final Vertx vertx;
  private final Duration retryDelay;
  private final FeedMetrics metrics;

  CatchUp(
      LaneFeed lane,
      Subscriber subscriber,
      LaneReader reader,
      Vertx vertx,
      Duration retryDelay,
      FeedMetrics metrics) {
    this.lane = lane;
    this.subscriber = subscriber;
    this.reader = reader;
    this.vertx = vertx;
    this.retryDelay = retryDelay;
    this.metrics = metrics;
  }

  /** Reads the next batch once the subscriber's buffer is at most half full. */
  void next() {
    if (!subscriber.isClosed() && subscriber.whenDrained(this::read)) {
      LOG.debugf(
          "lane %s: replay waits for its socket to drain (%d frames unsent)",
          lane.chain(), subscriber.unsent());
    }
  }

  private void read() {
    if (subscriber.isClosed()) {
      return;
    }
    long from = subscriber.position(lane.chain()) + 1;
    long knownHead = lane.position();
    reader
        .read(from, knownHead)
        .subscribe()
        .with(
            batch -> {
              LOG.debugf(
                  "lane %s: replay from %d (lane at %d) read %d entries through %d%s%s",
                  lane.chain(),
                  from,
                  knownHead,
                  batch.entries().size(),
                  batch.through(),
                  batch.more() ? ", more" : "",
                  batch.waitingOn() > 0 ? ", waiting on " + batch.waitingOn() : "");
              Subscriber.Cursor cursor = subscriber.cursor(lane.chain());
              for (LaneEntry e : batch.entries()) {
                Frame message = null;
                if (e instanceof LaneEntry.Issued issued) {
                  Preconfirmation p = issued.preconfirmation();
                  message =
                      subscriber.wants(p.leaf().sender())
                          ? Frame.text(FeedMessages.preconfirmation(p))
                          : null;
                }
                cursor.deliver(e, message);
              }
              cursor.coverThrough(batch.through());
              if (subscriber.isClosed()) {
                return;
              }
              if (batch.more()) {
                next();
              } else if (batch.waitingOn() > 0) {
                vertx.setTimer(retryDelay.toMillis(), id -> next());
              } else if (!lane.goLive(subscriber)) {
                next();
              } else {
                LOG.debugf(
                    "lane %s: replay done at %d, the subscriber is live (%d frames unsent)",
                    lane.chain(), subscriber.position(lane.chain()), subscriber.unsent());
              }
            },
            failure -> {
              metrics.backendFailure("replay");
              metrics.cut("replay_failed");
              LOG.warnf(
                  "lane %s: replay from %d failed: %s", lane.chain(), from, failure.getMessage());
              Refusal why =
                  Refusal.backendUnavailable(
                      "the feed could not read lane "
                          + lane.chain()
                          + " from sequence "
                          + from
                          + "; "
                          + subscriber.resumeHint());
              subscriber.refuse(
                  Frame.text(FeedMessages.error(why.code(), why.reason(), why.message())),
                  why.closeCode(),
                  why.closeReason());
            });
  }
}
